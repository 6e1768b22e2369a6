// R-SEC-14: first, before any protocol schema exists: the page's CSP has no 'unsafe-eval'.
import '@imw/shared/no-eval';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
// The i18next instance (the console's strings are the `admin` namespace).
import '../i18n';
import { AdminApp } from './AdminApp';
import '../styles.css';
import './admin.css';

const root = document.getElementById('root');
if (!root) throw new Error('admin/index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <AdminApp />
  </StrictMode>,
);
