import path from 'node:path';
import { ROOT } from '../../../local-cloud/client';

/** Small functions for the runtime's own tests (`LOCALCLOUD_FUNCTIONS`). */
export const FIXTURE_FUNCTIONS = path.join(ROOT, 'test', 'fixtures', 'functions');
