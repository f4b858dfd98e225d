import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { initI18n } from './i18n';
import { connect } from './lib/transport';
import { loadDeskFont } from './lib/font';
import './styles.css';

initI18n('zh-CN');
loadDeskFont();
const client = connect();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App client={client} />
  </StrictMode>,
);
