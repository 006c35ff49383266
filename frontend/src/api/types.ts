export type User = { id: string; email: string; name: string; roles: string[] };

export type Me = User & {
  email_verified: boolean;
  time_zone: string;
  weekly_reminders: boolean;
  created_at: string;
  entitlement: { premium: boolean; source: string | null };
  teams: { id: string; name: string; role: string }[];
};

export type Session = { user: User; access_token: string; expires_in: number };
