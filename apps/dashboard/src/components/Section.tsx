import type { ReactNode } from 'react';

/** A titled part of a page, with the question it answers. */
export const Section = ({ title, question, children, testId }: { title: string; question?: string; children: ReactNode; testId?: string }) => (
  <section className="panel" data-testid={testId} aria-label={title}>
    <h2>{title}</h2>
    {question && <p className="question">{question}</p>}
    {children}
  </section>
);
