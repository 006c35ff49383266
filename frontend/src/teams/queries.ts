import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';

/** teamKeys are the teams' cache keys, one per resource; a team's keys carry its id, so a change
 *  invalidates exactly what it touches. */
export const teamKeys = {
  teams: ['teams'] as const,
  team: (id: string) => ['team', id] as const,
  report: (id: string) => ['team-report', id] as const,
  member: (id: string, userId: string) => ['team-member', id, userId] as const,
  invites: (id: string) => ['invites', id] as const,
  assignments: (id: string) => ['assignments', id] as const,
  recognitions: (id: string) => ['recognitions', id] as const,
  prompts: (id: string) => ['prompts', id] as const,
  gaps: (id: string) => ['recognition-gaps', id] as const,
  pulseTrend: (id: string) => ['pulse-trend', id] as const,
  myAssignments: ['my-assignments'] as const,
  myRecognitions: ['my-recognitions'] as const,
  invite: (token: string) => ['invite', token] as const,
};

const team = (id: string) => ({ params: { path: { id } } });

/** useTeams lists the caller's teams. */
export function useTeams() {
  return useQuery({ queryKey: teamKeys.teams, queryFn: () => api.GET('/api/v1/teams') });
}

/** useTeam is one team with its seats and members. */
export function useTeam(id: string) {
  return useQuery({ queryKey: teamKeys.team(id), queryFn: () => api.GET('/api/v1/teams/{id}', team(id)) });
}

/** useTeamReport is the manager's report: progress and growth per rep and on average. */
export function useTeamReport(id: string, enabled: boolean) {
  return useQuery({ queryKey: teamKeys.report(id), queryFn: () => api.GET('/api/v1/teams/{id}/report', team(id)), enabled });
}

/** useTeamMember is one rep's line of the report. */
export function useTeamMember(id: string, userId: string) {
  return useQuery({
    queryKey: teamKeys.member(id, userId),
    queryFn: () => api.GET('/api/v1/teams/{id}/members/{user_id}', { params: { path: { id, user_id: userId } } }),
  });
}

/** useInvites lists a team's invites. */
export function useInvites(id: string) {
  return useQuery({ queryKey: teamKeys.invites(id), queryFn: () => api.GET('/api/v1/teams/{id}/invites', team(id)) });
}

/** useAssignments lists a team's assignments with each rep's status. */
export function useAssignments(id: string) {
  return useQuery({ queryKey: teamKeys.assignments(id), queryFn: () => api.GET('/api/v1/teams/{id}/assignments', team(id)) });
}

/** useRecognitions is a team's recognition feed. */
export function useRecognitions(id: string) {
  return useQuery({ queryKey: teamKeys.recognitions(id), queryFn: () => api.GET('/api/v1/teams/{id}/recognitions', team(id)) });
}

/** usePrompts are the manager's suggestions of whom to recognise. */
export function usePrompts(id: string, enabled: boolean) {
  return useQuery({ queryKey: teamKeys.prompts(id), queryFn: () => api.GET('/api/v1/teams/{id}/prompts', team(id)), enabled });
}

/** useMyAssignments are the modules assigned to the caller. */
export function useMyAssignments() {
  return useQuery({ queryKey: teamKeys.myAssignments, queryFn: () => api.GET('/api/v1/me/assignments') });
}

/** useMyRecognitions are the recognitions the caller received. */
export function useMyRecognitions() {
  return useQuery({ queryKey: teamKeys.myRecognitions, queryFn: () => api.GET('/api/v1/me/recognitions') });
}

/** useInvitePreview is what an invite link is for (public). */
export function useInvitePreview(token: string) {
  return useQuery({
    queryKey: teamKeys.invite(token),
    queryFn: () => api.GET('/api/v1/invites/{token}', { params: { path: { token } } }),
  });
}
