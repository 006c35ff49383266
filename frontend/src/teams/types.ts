import type { Band } from '../assess/types';

export type Seats = { total: number; used: number; pending: number; free: number };
export type Member = { user_id: string; name: string; email: string; role: 'manager' | 'member'; is_learner: boolean; joined_at: string };
export type Team = { id: string; name: string; created_at: string; seats: Seats; members: Member[]; my_role: 'manager' | 'member'; is_learner: boolean };
export type TeamSummary = { id: string; name: string; role: string; is_learner: boolean; member_count: number; created_at: string };
export type Invite = { id: string; email: string; state: string; expires_at: string; created_at: string };
export type ReportCompetency = { competency: string; name: string; baseline: number; latest: number; delta: number; band: Band; significant: boolean; latest_at: string };
export type ReportMember = {
  user_id: string; name: string; email: string; role: string; joined_at: string; completed_lessons: number; lesson_count: number;
  percent: number; last_active_at: string | null; recognitions: number; competencies: ReportCompetency[];
};
export type Report = {
  team_id: string; team_name: string; members: ReportMember[]; generated_at: string;
  team: { member_count: number; competencies: { competency: string; name: string; baseline_avg: number; latest_avg: number; delta_avg: number; members: number }[] };
};
export type Person = { user_id: string; name: string };
export type Assignment = { id: string; team_id: string; module_slug: string; module_title: string; due_at: string; created_at: string; created_by: Person; members: (Person & { status: string })[] };
export type Recognition = { id: string; team_id: string; team_name: string; from: Person; to: Person; message: string; kind: string; created_at: string };
export type Prompt = { user_id: string; name: string; reason: 'completed_module' | 'significant_growth'; detail: string; at: string };
