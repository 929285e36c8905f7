import { NotFoundDetail } from '../components/NotFoundDetail';

export default function NotFound() {
  return (
    <div className="mx-auto max-w-lg py-16 text-center">
      <p className="text-sm font-semibold text-zinc-600 dark:text-zinc-300">404 · not in the current data</p>
      <NotFoundDetail />
    </div>
  );
}
