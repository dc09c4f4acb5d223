import { useTranslation } from 'react-i18next';
import { DashboardPage } from './accounts/DashboardPage';
import { LoginPage } from './accounts/LoginPage';
import { RegisterPage } from './accounts/RegisterPage';
import { CallScreen } from './components/CallScreen';
import { parseRoute } from './route';

export function App() {
  const { t } = useTranslation();
  const route = parseRoute(window.location);
  switch (route.screen) {
    case 'consult':
      return <CallScreen join={route.join} />;
    case 'register':
      return <RegisterPage invitationToken={route.invitationToken} firstAccount={route.firstAccount} />;
    case 'login':
      return <LoginPage />;
    case 'dashboard':
      return <DashboardPage />;
    case 'invalid-link':
      return (
        <main className="notice">
          <h1>{t('link.invalidTitle')}</h1>
          <p>{t('link.invalidBody')}</p>
        </main>
      );
    case 'home':
      return (
        <main className="notice">
          <h1>{t('app.name')}</h1>
          <p>{t('link.home')}</p>
        </main>
      );
  }
}
