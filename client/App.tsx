import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { GuestJoinPage } from './components/GuestJoinPage';
import { lazyPart, Loading } from './components/LazyPart';
import { ShortLinkPage } from './components/ShortLinkPage';
import { parseRoute } from './route';

// The patient's and interpreter's link pages are in the first script; the doctor's pages come when opened.
const DashboardPage = lazyPart(async () => (await import('./accounts/DashboardPage')).DashboardPage);
const LoginPage = lazyPart(async () => (await import('./accounts/LoginPage')).LoginPage);
const RegisterPage = lazyPart(async () => (await import('./accounts/RegisterPage')).RegisterPage);
const DoctorJoinPage = lazyPart(async () => (await import('./components/DoctorJoinPage')).DoctorJoinPage);

export function App() {
  return (
    <Suspense fallback={<Loading page />}>
      <Screen />
    </Suspense>
  );
}

function Screen() {
  const { t } = useTranslation();
  const route = parseRoute(window.location);
  switch (route.screen) {
    case 'guest-join':
      return <GuestJoinPage inviteToken={route.inviteToken} />;
    case 'short-link':
      return <ShortLinkPage code={route.code} />;
    case 'doctor-consult':
      return <DoctorJoinPage consultId={route.consultId} />;
    case 'register':
      return <RegisterPage invitationToken={route.invitationToken} firstAccount={route.firstAccount} />;
    case 'login':
      return <LoginPage />;
    case 'dashboard':
      return <DashboardPage />;
    case 'home':
      return (
        <main className="notice">
          <h1>{t('app.name')}</h1>
          <p>{t('link.home')}</p>
        </main>
      );
  }
}
