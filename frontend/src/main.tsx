import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@kern-ux/native/dist/kern.min.css';
import './styles/fonts.css';
import './styles/app.css';
import { App } from './App';
import { i18nReady } from './i18n';

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing');

void i18nReady.then(() => {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
});
