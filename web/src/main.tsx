// Vigil's web UI: events, one event, notebooks. Hash routes (#/, #/events/NAME, #/notebook/NAME).

import '@picocss/pico/css/pico.min.css';
import './styles.css';
import { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { EventPage } from './pages/EventPage';
import { EventsPage } from './pages/EventsPage';
import { NotebookPage } from './pages/NotebookPage';

function useHash(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = (): void => setHash(location.hash);
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return hash;
}

function App() {
  const hash = useHash().replace(/^#/, '') || '/';
  const [, section, arg] = hash.split('/');
  const name = arg ? decodeURIComponent(arg) : null;
  let page = <EventsPage />;
  if (section === 'events' && name) page = <EventPage name={name} />;
  else if (section === 'notebook') page = <NotebookPage name={name} />;
  return (
    <>
      <header className="topbar">
        <nav className="container">
          <ul><li><a href="#/" className="brand"><span className="dot" />Vigil</a></li><li className="muted tagline">crisis informatics: collect, classify, analyse</li></ul>
          <ul>
            <li><a href="#/" aria-current={section !== 'notebook' ? 'page' : undefined}>Events</a></li>
            <li><a href="#/notebook" aria-current={section === 'notebook' ? 'page' : undefined}>Notebook</a></li>
          </ul>
        </nav>
      </header>
      <main className="container">{page}</main>
    </>
  );
}

createRoot(document.getElementById('root')!).render(<App />);
