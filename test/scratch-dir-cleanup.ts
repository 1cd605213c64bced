// A setup file (vitest.config.ts): vitest runs it before each test file, also where files share a
// worker's modules, so every file's scratch folders are removed when that file's tests are done.
// (A hook in scratch-dir.ts itself would be registered once per worker, by the first file to
// import it, and the later files' folders would stay until the run's end.)
import { afterAll } from 'vitest';
import { removeScratchDirs } from './scratch-dir.ts';

afterAll(removeScratchDirs);
