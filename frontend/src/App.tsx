import { lazy } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter, Route, Routes } from 'react-router-dom';
import { ApiError } from './api/client';
import { AuthProvider } from './auth/AuthContext';
import { RequireAuth } from './auth/RequireAuth';
import { Layout } from './components/Layout';
import { Account } from './pages/Account';
import { AdminUsers } from './pages/AdminUsers';
import { ForgotPassword } from './pages/ForgotPassword';
import { Landing } from './pages/Landing';
import { NotFound } from './pages/NotFound';
import { ResetPassword } from './pages/ResetPassword';
import { SignIn } from './pages/SignIn';
import { SignUp } from './pages/SignUp';
import { VerifyEmail } from './pages/VerifyEmail';
import { Catalog } from './pages/Catalog';
import { ModulePage } from './pages/ModulePage';
import { LessonPage } from './pages/LessonPage';
import { Dashboard } from './pages/Dashboard';
import { CertificatePage } from './pages/CertificatePage';
import { AssessmentsPage } from './assess/AssessmentsPage';
import { PricingPage } from './billing/PricingPage';
import { CheckoutSuccess } from './billing/CheckoutSuccess';
import { BillingPage } from './billing/BillingPage';
import { AdminGrants } from './pages/AdminGrants';
import { AdminEvents } from './pages/AdminEvents';
import { TeamsPage, CreateTeam } from './teams/TeamsPage';
import { MemberPage } from './teams/MemberPage';
import { InvitePage } from './teams/InvitePage';

const StudioRoutes = lazy(() => import('./studio/StudioRoutes').then((m) => ({ default: m.StudioRoutes })));
const SkillsPage = lazy(() => import('./assess/SkillsPage').then((m) => ({ default: m.SkillsPage })));
const TeamPage = lazy(() => import('./teams/TeamPage').then((m) => ({ default: m.TeamPage })));
const TakeAssessment = lazy(() => import('./assess/TakeAssessment').then((m) => ({ default: m.TakeAssessment })));
const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      // 4xx answers are final; retry only network trouble and 5xx.
      retry: (count, err) => count < 2 && !(err instanceof ApiError && err.status >= 400 && err.status < 500),
    },
  },
});

/** App is the router and the providers every page needs. */
export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <AuthProvider>
          <Routes>
            <Route element={<Layout />}>
              <Route index element={<Landing />} />
              <Route path="signin" element={<SignIn />} />
              <Route path="signup" element={<SignUp />} />
              <Route path="forgot-password" element={<ForgotPassword />} />
              <Route path="reset-password" element={<ResetPassword />} />
              <Route path="verify-email" element={<VerifyEmail />} />
              <Route path="catalog" element={<Catalog />} />
              <Route path="modules/:slug" element={<ModulePage />} />
              <Route path="modules/:slug/:lesson" element={<LessonPage />} />
              <Route path="dashboard" element={<RequireAuth><Dashboard /></RequireAuth>} />
              <Route path="certificates/:code" element={<CertificatePage />} />
              <Route path="assessments" element={<RequireAuth><AssessmentsPage /></RequireAuth>} />
              <Route path="assessments/:slug" element={<RequireAuth><TakeAssessment /></RequireAuth>} />
              <Route path="skills" element={<RequireAuth><SkillsPage /></RequireAuth>} />
              <Route path="account" element={<RequireAuth><Account /></RequireAuth>} />
              <Route path="admin" element={<RequireAuth role={['admin']}><AdminUsers /></RequireAuth>} />
              <Route path="admin/grants" element={<RequireAuth role={['admin']}><AdminGrants /></RequireAuth>} />
              <Route path="admin/events" element={<RequireAuth role={['admin']}><AdminEvents /></RequireAuth>} />
              <Route path="pricing" element={<PricingPage />} />
              <Route path="teams" element={<RequireAuth><TeamsPage /></RequireAuth>} />
              <Route path="teams/new" element={<RequireAuth><div className="container page narrow"><CreateTeam /></div></RequireAuth>} />
              <Route path="teams/:id" element={<RequireAuth><TeamPage /></RequireAuth>} />
              <Route path="teams/:id/members/:userId" element={<RequireAuth><MemberPage /></RequireAuth>} />
              <Route path="invites/:token" element={<InvitePage />} />
              <Route path="billing" element={<RequireAuth><BillingPage /></RequireAuth>} />
              <Route path="billing/success" element={<RequireAuth><CheckoutSuccess /></RequireAuth>} />
              <Route path="studio/*" element={<RequireAuth role={['instructor', 'admin']}><StudioRoutes /></RequireAuth>} />
              <Route path="*" element={<NotFound />} />
            </Route>
          </Routes>
        </AuthProvider>
      </BrowserRouter>
    </QueryClientProvider>
  );
}
