import { openPglite } from './pglite';
import { storeSuite } from './store.suite';

storeSuite('PGlite (memory)', () => openPglite());
