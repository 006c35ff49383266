import { lazy } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter, Navigate, Route, Routes, useParams } from 'react-router-dom';
import { ApiError } from './api/client';
import { AuthProvider } from './auth/AuthContext';
import { RequireAuth } from './auth/RequireAuth';
import { Layout } from './components/Layout';
import { ForgotPassword } from './pages/ForgotPassword';
import { Landing } from './pages/Landing';
import { NotFound } from './pages/NotFound';
import { SignIn } from './pages/SignIn';
import { SignUp } from './pages/SignUp';
import { Catalog } from './pages/Catalog';
import { ModulePage } from './pages/ModulePage';
import { PricingPage } from './billing/PricingPage';

// Pages a visitor reaches first are in the main bundle; the rest load when first opened.
const Account = lazy(() => import('./pages/Account').then((m) => ({ default: m.Account })));
const AdminUsers = lazy(() => import('./pages/AdminUsers').then((m) => ({ default: m.AdminUsers })));
const ResetPassword = lazy(() => import('./pages/ResetPassword').then((m) => ({ default: m.ResetPassword })));
const VerifyEmail = lazy(() => import('./pages/VerifyEmail').then((m) => ({ default: m.VerifyEmail })));
const LessonPage = lazy(() => import('./pages/LessonPage').then((m) => ({ default: m.LessonPage })));
const Dashboard = lazy(() => import('./pages/Dashboard').then((m) => ({ default: m.Dashboard })));
const CertificatePage = lazy(() => import('./pages/CertificatePage').then((m) => ({ default: m.CertificatePage })));
const AssessmentsPage = lazy(() => import('./assess/AssessmentsPage').then((m) => ({ default: m.AssessmentsPage })));
const CheckoutSuccess = lazy(() => import('./billing/CheckoutSuccess').then((m) => ({ default: m.CheckoutSuccess })));
const BillingPage = lazy(() => import('./billing/BillingPage').then((m) => ({ default: m.BillingPage })));
const AdminGrants = lazy(() => import('./pages/AdminGrants').then((m) => ({ default: m.AdminGrants })));
const AdminEvents = lazy(() => import('./pages/AdminEvents').then((m) => ({ default: m.AdminEvents })));
const TeamsPage = lazy(() => import('./teams/TeamsPage').then((m) => ({ default: m.TeamsPage })));
const CreateTeam = lazy(() => import('./teams/TeamsPage').then((m) => ({ default: m.CreateTeam })));
const MemberPage = lazy(() => import('./teams/MemberPage').then((m) => ({ default: m.MemberPage })));
const InvitePage = lazy(() => import('./teams/InvitePage').then((m) => ({ default: m.InvitePage })));
const StudioRoutes = lazy(() => import('./studio/StudioRoutes').then((m) => ({ default: m.StudioRoutes })));
const SkillsPage = lazy(() => import('./assess/SkillsPage').then((m) => ({ default: m.SkillsPage })));
const TeamPage = lazy(() => import('./teams/TeamPage').then((m) => ({ default: m.TeamPage })));
const CoachingGuidePage = lazy(() => import('./pages/CoachingGuidePage').then((m) => ({ default: m.CoachingGuidePage })));
const ReviewPage = lazy(() => import('./review/ReviewPage').then((m) => ({ default: m.ReviewPage })));
const PulsePage = lazy(() => import('./pulse/PulsePage').then((m) => ({ default: m.PulsePage })));
const TakeAssessment = lazy(() => import('./assess/TakeAssessment').then((m) => ({ default: m.TakeAssessment })));
const PracticeList = lazy(() => import('./practice/PracticeList').then((m) => ({ default: m.PracticeList })));
const PracticeActivityPage = lazy(() => import('./practice/PracticeActivityPage').then((m) => ({ default: m.PracticeActivityPage })));
const SubmissionPage = lazy(() => import('./practice/SubmissionPage').then((m) => ({ default: m.SubmissionPage })));
const ReviewQueue = lazy(() => import('./practice/ReviewQueue').then((m) => ({ default: m.ReviewQueue })));
const AccountDeleted = lazy(() => import('./account/AccountDeleted').then((m) => ({ default: m.AccountDeleted })));

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

/** ReviewLink is where the practice review e-mail points (/reviews/{id}); the attempt's page lives
 *  with the rest of Practice. */
function ReviewLink() {
  const { id = '' } = useParams();
  return <Navigate to={`/practice/submissions/${encodeURIComponent(id)}`} replace />;
}

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
              <Route path="coaching/:slug" element={<RequireAuth><CoachingGuidePage /></RequireAuth>} />
              <Route path="dashboard" element={<RequireAuth><Dashboard /></RequireAuth>} />
              <Route path="review" element={<RequireAuth><ReviewPage /></RequireAuth>} />
              <Route path="certificates/:code" element={<CertificatePage />} />
              <Route path="assessments" element={<RequireAuth><AssessmentsPage /></RequireAuth>} />
              <Route path="assessments/:slug" element={<RequireAuth><TakeAssessment /></RequireAuth>} />
              <Route path="skills" element={<RequireAuth><SkillsPage /></RequireAuth>} />
              <Route path="account" element={<RequireAuth><Account /></RequireAuth>} />
              <Route path="account-deleted" element={<AccountDeleted />} />
              <Route path="admin" element={<RequireAuth role={['admin']}><AdminUsers /></RequireAuth>} />
              <Route path="admin/grants" element={<RequireAuth role={['admin']}><AdminGrants /></RequireAuth>} />
              <Route path="admin/events" element={<RequireAuth role={['admin']}><AdminEvents /></RequireAuth>} />
              <Route path="pricing" element={<PricingPage />} />
              <Route path="pulse" element={<RequireAuth><PulsePage /></RequireAuth>} />
              <Route path="practice" element={<RequireAuth><PracticeList /></RequireAuth>} />
              <Route path="practice/reviews" element={<RequireAuth><ReviewQueue /></RequireAuth>} />
              <Route path="practice/submissions/:id" element={<RequireAuth><SubmissionPage /></RequireAuth>} />
              <Route path="reviews/:id" element={<ReviewLink />} />
              <Route path="practice/:slug" element={<RequireAuth><PracticeActivityPage /></RequireAuth>} />
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
