'use client';

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="mx-auto max-w-lg py-16 text-center">
      <h1 className="text-2xl font-semibold">This view could not be rendered</h1>
      <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
        The error was logged on the server{error.digest ? ` (reference ${error.digest})` : ''}. The data may still be loading.
      </p>
      <button type="button" onClick={reset} className="mt-6 rounded-md border border-zinc-300 px-3 py-1.5 text-sm font-medium dark:border-zinc-700">
        Try again
      </button>
    </div>
  );
}
