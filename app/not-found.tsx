import Link from 'next/link';

export default function NotFound() {
  return (
    <div className="mx-auto max-w-lg py-16 text-center">
      <p className="text-sm font-semibold text-zinc-500">404</p>
      <h1 className="mt-2 text-2xl font-semibold">Not found</h1>
      <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">Nothing by that name is in the current data. It may have been deleted, renamed, or not collected.</p>
      <p className="mt-6 flex justify-center gap-4 text-sm">
        <Link href="/pipelines" className="font-medium text-sky-700 hover:underline dark:text-sky-400">
          All pipelines
        </Link>
        <Link href="/" className="font-medium text-sky-700 hover:underline dark:text-sky-400">
          Overview
        </Link>
      </p>
    </div>
  );
}
