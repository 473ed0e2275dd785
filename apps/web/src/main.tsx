// Studio entry point: apply the saved theme before the first paint, then mount the app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { applyTheme, storedTheme } from './app/theme';
import './app/app.css';

applyTheme(storedTheme());

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element; the studio cannot start.');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
