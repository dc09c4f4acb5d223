import { useTranslation } from 'react-i18next';
import { DashboardPage } from './accounts/DashboardPage';
import { LoginPage } from './accounts/LoginPage';
import { RegisterPage } from './accounts/RegisterPage';
import { DoctorJoinPage } from './components/DoctorJoinPage';
import { GuestJoinPage } from './components/GuestJoinPage';
import { parseRoute } from './route';

export function App() {
  const { t } = useTranslation();
  const route = parseRoute(window.location);
  switch (route.screen) {
    case 'guest-join':
      return <GuestJoinPage inviteToken={route.inviteToken} />;
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
