import { MemoryPresenceStore } from '../../src/presence/store';
import { presenceStoreContract } from './store.contract';

presenceStoreContract('MemoryPresenceStore', () => new MemoryPresenceStore());
