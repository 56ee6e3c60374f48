import { lazy, Suspense, useEffect, useRef, type ComponentType, type ReactNode } from 'react';
import { Link, Navigate, NavLink, Route, Routes, useLocation, useSearchParams } from 'react-router';
import type { Role } from './api/client';
import { useUnreadCount } from './features/notifications/api';
import { useReviewCounts } from './features/review/api';
import { LoginPage } from './features/auth/routes/LoginPage';
import { useI18n } from './i18n';
import { LanguageSwitch } from './shared/LanguageSwitch';
import { useAuth } from './shared/auth';
import { Spinner } from './shared/components';
import { useInvalidate } from './shared/queries';

/**
 * Every page but the login is loaded when first opened, so the first page downloads only what it shows
 * (`lazyPage(() => import(...), 'Name')` keeps the pages' named exports).
 */
function lazyPage<M, K extends keyof M>(load: () => Promise<M>, name: K) {
  return lazy(() => load().then((module) => ({ default: module[name] as ComponentType })));
}
const ActivityPage = lazyPage(() => import('./features/learning/routes/ActivityPage'), 'ActivityPage');
const CourseEditorPage = lazyPage(() => import('./features/courses/routes/CourseEditorPage'), 'CourseEditorPage');
const NewCoursePage = lazyPage(() => import('./features/courses/routes/CourseEditorPage'), 'NewCoursePage');
const CoursesPage = lazyPage(() => import('./features/courses/routes/CoursesPage'), 'CoursesPage');
const RemindersAdminPage = lazyPage(() => import('./features/tracking/routes/RemindersAdminPage'), 'RemindersAdminPage');
const CourseCertificatesPage = lazyPage(() => import('./features/tracking/routes/CertificatesPages'), 'CourseCertificatesPage');
const MyCertificatesPage = lazyPage(() => import('./features/tracking/routes/CertificatesPages'), 'MyCertificatesPage');
const EnrollmentsPage = lazyPage(() => import('./features/org/routes/EnrollmentsPage'), 'EnrollmentsPage');
const HomePage = lazyPage(() => import('./features/home/routes/HomePage'), 'HomePage');
const ImportPage = lazyPage(() => import('./features/org/routes/ImportPage'), 'ImportPage');
const NotificationsPage = lazyPage(() => import('./features/notifications/routes/NotificationsPage'), 'NotificationsPage');
const BranchesPage = lazyPage(() => import('./features/org/routes/OrgPages'), 'BranchesPage');
const PeoplePage = lazyPage(() => import('./features/org/routes/OrgPages'), 'PeoplePage');
const UnitsPage = lazyPage(() => import('./features/org/routes/OrgPages'), 'UnitsPage');
const PasswordPage = lazyPage(() => import('./features/auth/routes/PasswordPage'), 'PasswordPage');
const RecordPage = lazyPage(() => import('./features/learning/routes/RecordPage'), 'RecordPage');
const ReviewInboxPage = lazyPage(() => import('./features/review/routes/ReviewInboxPage'), 'ReviewInboxPage');
const SchedulePage = lazyPage(() => import('./features/learning/routes/SchedulePage'), 'SchedulePage');
const VerifyPage = lazyPage(() => import('./features/auth/routes/VerifyPage'), 'VerifyPage');
const CheckInLinkPage = lazyPage(() => import('./features/sessions/routes/CheckInPages'), 'CheckInLinkPage');
const CheckInScreenPage = lazyPage(() => import('./features/sessions/routes/CheckInPages'), 'CheckInScreenPage');
const SuggestionPage = lazyPage(() => import('./features/suggestions/routes/SuggestionsPages'), 'SuggestionPage');
const SuggestionsInboxPage = lazyPage(() => import('./features/suggestions/routes/SuggestionsPages'), 'SuggestionsInboxPage');
const SuggestionsPage = lazyPage(() => import('./features/suggestions/routes/SuggestionsPages'), 'SuggestionsPage');
const ForumPage = lazyPage(() => import('./features/discussions/routes/DiscussionPages'), 'ForumPage');
const ThreadPage = lazyPage(() => import('./features/discussions/routes/DiscussionPages'), 'ThreadPage');
const QuestionBankPage = lazyPage(() => import('./features/question-bank/routes/QuestionBankPage'), 'QuestionBankPage');
const HandbookPage = lazyPage(() => import('./features/handbook/routes/HandbookPages'), 'HandbookPage');
const NewRecordPage = lazyPage(() => import('./features/handbook/routes/HandbookPages'), 'NewRecordPage');
const BranchRecordPage = lazyPage(() => import('./features/handbook/routes/HandbookPages'), 'RecordPage');
const RecordReviewQueuePage = lazyPage(() => import('./features/handbook/routes/HandbookPages'), 'RecordReviewQueuePage');
const BranchWorkPage = lazyPage(() => import('./features/branch-oversight/routes/BranchWorkPages'), 'BranchWorkPage');
const BranchWorkBranchPage = lazyPage(() => import('./features/branch-oversight/routes/BranchWorkPages'), 'BranchWorkBranchPage');
const NormsPage = lazyPage(() => import('./features/branch-plans/routes/BranchWorkPages'), 'NormsPage');
const PlanPage = lazyPage(() => import('./features/branch-plans/routes/BranchWorkPages'), 'PlanPage');
const MembersPage = lazyPage(() => import('./features/branch-plans/routes/BranchWorkPages'), 'MembersPage');
const BranchPlansPage = lazyPage(() => import('./features/branch-plans/routes/BranchWorkPages'), 'BranchPlansPage');
const MyPlanRedirect = lazyPage(() => import('./features/branch-plans/routes/BranchWorkPages'), 'MyPlanRedirect');
const MyMembersRedirect = lazyPage(() => import('./features/branch-plans/routes/BranchWorkPages'), 'MyMembersRedirect');
// 考核评估: the department's and unit admins' pages carry ECharts; the secretary's page is small.
const AssessmentRoundsPage = lazyPage(() => import('./features/assessments/routes/RoundPages'), 'RoundsPage');
const AssessmentRoundPage = lazyPage(() => import('./features/assessments/routes/RoundPages'), 'RoundPage');
const AssessmentBranchPage = lazyPage(() => import('./features/assessments/routes/RoundPages'), 'RoundBranchPage');
const AssessmentSchemePage = lazyPage(() => import('./features/assessments/routes/SchemePage'), 'SchemePage');
const MyAssessmentPage = lazyPage(() => import('./features/assessments/routes/MyAssessmentPage'), 'MyAssessmentPage');
const SurveysPage = lazyPage(() => import('./features/surveys/routes/SurveysPages'), 'SurveysPage');
const SurveyPage = lazyPage(() => import('./features/surveys/routes/SurveysPages'), 'SurveyPage');
const NewSurveyPage = lazyPage(() => import('./features/surveys/routes/SurveysPages'), 'NewSurveyPage');
const SurveyResultsPage = lazyPage(() => import('./features/surveys/routes/SurveyResultsPage'), 'SurveyResultsPage');
const CasesPage = lazyPage(() => import('./features/cases/routes/CasesPages'), 'CasesPage');
const CasePage = lazyPage(() => import('./features/cases/routes/CasesPages'), 'CasePage');
const NewCasePage = lazyPage(() => import('./features/cases/routes/CasesPages'), 'NewCasePage');
// The dashboard and a survey's results carry ECharts.
const DashboardPage = lazyPage(() => import('./features/tracking/routes/DashboardPage'), 'DashboardPage');

export function App() {
  const { me, checking, mustChangePassword, interrupted } = useAuth();
  const location = useLocation();

  // The public check of a certificate needs no login.
  if (location.pathname.startsWith('/verify/')) {
    return (
      <Routes>
        <Route path="/verify/:code" element={<Suspense fallback={<Spinner />}><VerifyPage /></Suspense>} />
      </Routes>
    );
  }
  if (checking) {
    return (
      <main className="centered">
        <Spinner />
      </main>
    );
  }
  if (!me) {
    return (
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route
          path="*"
          element={<Navigate to={interrupted === 'logout' || location.pathname === '/' ? '/login' : `/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />}
        />
      </Routes>
    );
  }
  if (mustChangePassword && location.pathname !== '/password') {
    return <Navigate to="/password" replace />;
  }
  return (
    <Layout>
      <Suspense fallback={<Spinner />}>
        <Routes>
          <Route path="/login" element={<AfterLogin />} />
          <Route path="/password" element={<PasswordPage />} />
          <Route path="/" element={me.role === 'secretary' ? <HomePage /> : <CoursesPage />} />
          <Route path="/reviews" element={<Only roles={['admin', 'instructor']}><ReviewInboxPage /></Only>} />
          <Route path="/courses/new" element={<Only roles={['admin', 'instructor']}><NewCoursePage /></Only>} />
          <Route path="/courses/:id" element={<SchedulePage />} />
          <Route path="/courses/:id/edit" element={<Only roles={['admin', 'instructor']}><CourseEditorPage /></Only>} />
          <Route path="/courses/:id/enrollments" element={<Only roles={['admin', 'instructor']}><EnrollmentsPage /></Only>} />
          <Route path="/courses/:id/questions" element={<Only roles={['admin', 'instructor']}><QuestionBankPage /></Only>} />
          <Route path="/courses/:id/forum" element={<ForumPage />} />
          <Route path="/courses/:id/report" element={<Only roles={['admin', 'instructor']}><DashboardPage /></Only>} />
          <Route path="/courses/:id/certificates" element={<Only roles={['admin']}><CourseCertificatesPage /></Only>} />
          <Route path="/certificates" element={<MyCertificatesPage />} />
          <Route path="/admin/reminders" element={<Only roles={['admin']}><RemindersAdminPage /></Only>} />
          <Route path="/oversight/branch-work" element={<Only roles={['admin']}><BranchWorkPage /></Only>} />
          <Route path="/oversight/branch-work/branches/:id" element={<Only roles={['admin']}><BranchWorkBranchPage /></Only>} />
          <Route path="/courses/:courseId/forum/threads/:threadId" element={<ThreadPage />} />
          <Route path="/record" element={<RecordPage />} />
          <Route path="/activities/:id" element={<ActivityPage />} />
          <Route path="/courses/:courseId/activities/:id" element={<ActivityPage />} />
          <Route path="/courses/:courseId/activities/:activityId/threads/:threadId" element={<ThreadPage />} />
          <Route path="/threads/:threadId" element={<ThreadPage />} />
          <Route path="/checkin/:activityId" element={<CheckInLinkPage />} />
          <Route path="/activities/:id/checkin-screen" element={<Only roles={['admin', 'instructor']}><CheckInScreenPage /></Only>} />
          <Route path="/suggestions" element={<SuggestionsPage />} />
          <Route path="/suggestions/inbox" element={<Only roles={['admin']}><SuggestionsInboxPage /></Only>} />
          <Route path="/suggestions/:id" element={<SuggestionPage />} />
          <Route path="/cases" element={<CasesPage />} />
          <Route path="/cases/new" element={<Only roles={['secretary']}><NewCasePage /></Only>} />
          <Route path="/cases/:id" element={<CasePage />} />
          <Route path="/notifications" element={<NotificationsPage />} />
          <Route path="/org/units" element={<Only roles={['admin']}><UnitsPage /></Only>} />
          <Route path="/org/branches" element={<Only roles={['admin']}><BranchesPage /></Only>} />
          <Route path="/org/people" element={<Only roles={['admin']}><PeoplePage /></Only>} />
          <Route path="/org/import" element={<Only roles={['admin']}><ImportPage /></Only>} />
          <Route path="/handbook" element={<Only roles={['secretary']}><HandbookPage /></Only>} />
          <Route path="/handbook/new" element={<Only roles={['secretary']}><NewRecordPage /></Only>} />
          <Route path="/handbook/records/:id" element={<Only roles={['secretary', 'admin']}><BranchRecordPage /></Only>} />
          <Route path="/handbook/review" element={<Only roles={['admin']}><RecordReviewQueuePage /></Only>} />
          <Route path="/branches/:branchId/handbook" element={<Only roles={['admin']}><HandbookPage /></Only>} />
          <Route path="/branch-work/norms" element={<Only roles={['admin']}><NormsPage /></Only>} />
          <Route path="/branch-work/plans" element={<Only roles={['admin']}><BranchPlansPage /></Only>} />
          <Route path="/my-branch/plan" element={<Only roles={['secretary']}><MyPlanRedirect /></Only>} />
          <Route path="/my-branch/members" element={<Only roles={['secretary']}><MyMembersRedirect /></Only>} />
          <Route path="/branches/:id/plans/:year" element={<Only roles={['secretary', 'admin']}><PlanPage /></Only>} />
          <Route path="/branches/:id/members" element={<Only roles={['secretary', 'admin']}><MembersPage /></Only>} />
          <Route path="/assessments" element={<Only roles={['admin']}><AssessmentRoundsPage /></Only>} />
          <Route path="/assessments/schemes" element={<Only roles={['admin']}><AssessmentSchemePage /></Only>} />
          <Route path="/assessments/rounds/:id" element={<Only roles={['admin']}><AssessmentRoundPage /></Only>} />
          <Route path="/assessments/rounds/:id/branches/:branchId" element={<Only roles={['admin']}><AssessmentBranchPage /></Only>} />
          <Route path="/my-branch/assessment" element={<Only roles={['secretary']}><MyAssessmentPage /></Only>} />
          <Route path="/surveys" element={<SurveysPage />} />
          <Route path="/surveys/new" element={<Only roles={['admin', 'instructor']}><NewSurveyPage /></Only>} />
          <Route path="/surveys/:id" element={<SurveyPage />} />
          <Route path="/surveys/:id/results" element={<Only roles={['admin', 'instructor']}><SurveyResultsPage /></Only>} />
          <Route path="*" element={<NotFound />} />
        </Routes>
      </Suspense>
    </Layout>
  );
}

/** Once logged in, the login page sends the user back to where they were (only paths of this site). */
function AfterLogin() {
  const [params] = useSearchParams();
  const next = params.get('next');
  const safe = next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/';
  return <Navigate to={safe} replace />;
}

function Only({ roles, children }: { roles: Role[]; children: ReactNode }) {
  const { me } = useAuth();
  const { t } = useI18n();
  if (!me || !roles.includes(me.role)) {
    return (
      <div className="alert alert-error" role="alert">
        {t('forbidden')}
      </div>
    );
  }
  return <>{children}</>;
}

function NotFound() {
  const { t } = useI18n();
  return (
    <section>
      <h1>{t('notFound')}</h1>
      <Link to="/">{t('backHome')}</Link>
    </section>
  );
}

function Layout({ children }: { children: ReactNode }) {
  const { me, logout, mustChangePassword } = useAuth();
  const { t } = useI18n();
  const location = useLocation();
  const main = useRef<HTMLElement>(null);

  const unread = useUnreadCount(Boolean(me) && !mustChangePassword);
  const waiting = useReviewCounts(Boolean(me) && me?.role !== 'secretary' && !mustChangePassword).data?.waiting ?? 0;
  const invalidate = useInvalidate();

  // After navigating, move focus to the page so keyboard and screen-reader users start at its top, and count
  // the navigation's badges again (what others did meanwhile: new notifications, reflections to review).
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
    void invalidate('/me/notifications', '/reviews/reflections/counts');
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [location.pathname]);
  if (!me) return null;
  const roleLabel = me.role === 'admin' ? t(me.unitId ? 'roleUnitAdmin' : 'roleAdmin') : me.role === 'instructor' ? t('roleInstructor') : t('roleSecretary');
  const reviews = { to: '/reviews', label: waiting ? t('navReviewsCount', { n: waiting }) : t('navReviews') };
  const notifications = { to: '/notifications', label: unread ? t('navNotificationsCount', { n: unread }) : t('navNotifications') };
  // Surveys ask secretaries and learners and are written by the department and instructors; a unit admin has none.
  const surveysLink = me.role === 'admin' && me.unitId ? [] : [{ to: '/surveys', label: t('navSurveys') }];
  const links: Array<{ to: string; label: string }> = mustChangePassword
    ? []
    : [...roleLinks(), { to: '/cases', label: t('navCases') }, ...surveysLink, { to: '/suggestions', label: t('navSuggestions') }, notifications];
  function roleLinks(): Array<{ to: string; label: string }> {
    const role = me!.role;
    return role === 'secretary'
      ? [
          { to: '/', label: t('navMyCourses') },
          { to: '/record', label: t('navRecord') },
          { to: '/certificates', label: t('navMyCertificates') },
          { to: '/handbook', label: t('navHandbook') },
          { to: '/my-branch/plan', label: t('navBranchPlan') },
          { to: '/my-branch/members', label: t('navBranchMembers') },
          { to: '/my-branch/assessment', label: t('navMyAssessment') },
        ]
      : role === 'instructor'
        ? [{ to: '/', label: t('navCourses') }, reviews]
        : [
            { to: '/', label: t('navCourses') },
            reviews,
            { to: '/handbook/review', label: t('navRecordReview') },
            { to: '/org/units', label: t('navUnits') },
            { to: '/org/branches', label: t('navBranches') },
            { to: '/org/people', label: t('navPeople') },
            { to: '/org/import', label: t('navImport') },
            { to: '/suggestions/inbox', label: t('navSuggestionsInbox') },
            { to: '/admin/reminders', label: t('navReminders') },
            { to: '/oversight/branch-work', label: t('bwNav') },
            { to: '/branch-work/plans', label: t('navBranchPlans') },
            { to: '/branch-work/norms', label: t('navNorms') },
            { to: '/assessments', label: t('navAssessments') },
          ];
  }

  return (
    <>
      <a className="skip-link" href="#main">
        {t('skipToContent')}
      </a>
      <header className="site-header">
        <div className="header-row">
          <Link to="/" className="brand">
            {t('appName')}
          </Link>
          <div className="user-box">
            <span className="user-name" data-testid="user-name">
              {me.name}
            </span>
            <span className="user-role">{roleLabel}</span>
            <LanguageSwitch />
            {!mustChangePassword && (
              <Link to="/password" className="header-link">
                {t('changePassword')}
              </Link>
            )}
            <button type="button" className="button secondary small" onClick={logout}>
              {t('logout')}
            </button>
          </div>
        </div>
        {links.length > 0 && (
          <nav aria-label={t('mainNav')} className="main-nav">
            <ul>
              {links.map((link) => (
                <li key={link.to}>
                  <NavLink to={link.to} end={link.to === '/' || link.to === '/suggestions'}>
                    {link.label}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
        )}
      </header>
      <main id="main" ref={main} tabIndex={-1} className="content">
        {children}
      </main>
    </>
  );
}
