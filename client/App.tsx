import { useTranslation } from 'react-i18next';
import { CallScreen } from './components/CallScreen';
import { parseRoute } from './route';

export function App() {
  const { t } = useTranslation();
  const route = parseRoute(window.location);
  switch (route.screen) {
    case 'consult':
      return <CallScreen join={route.join} />;
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
