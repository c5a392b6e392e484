import { followLink } from '../router.ts';

export function NotFoundPage() {
  return (
    <section className="page">
      <h1>Not found</h1>
      <p>
        There is no page here.{' '}
        <a href="/" onClick={followLink}>
          Back to the incidents
        </a>
        .
      </p>
    </section>
  );
}
