// The project's own neutral icons, one per method group (24×24, drawn with the current colour).
// No bank's or wallet's brand artwork is shipped: a merchant who wants logos gives `logo` URLs.
import type { MethodGroup } from '../../proxy/lib/contract.js';

export const GROUP_ICONS: Record<MethodGroup, string> = {
  // a bank: pediment, columns, base
  va: 'M12 3 3 8v2h18V8zM5 11h2v6H5zm4 0h2v6H9zm4 0h2v6h-2zm4 0h2v6h-2zM3 18h18v2H3z',
  // three finder squares and a few modules
  qris: 'M3 3h7v7H3zm2 2v3h3V5zm9-2h7v7h-7zm2 2v3h3V5zM3 14h7v7H3zm2 2v3h3v-3zm9-2h3v3h-3zm3 3h4v4h-3v-1h-1zm-3 2h2v2h-2z',
  // a wallet with its clasp
  ewallet: 'M4 6h14a2 2 0 0 1 2 2v1h-6a3 3 0 0 0 0 6h6v1a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V8a2 2 0 0 1 2-2zm10 5h7v2h-7a1 1 0 0 1 0-2z',
  // a shop front with an awning
  retail: 'M3 4h18l1 5a3 3 0 0 1-5 2 3 3 0 0 1-5 0 3 3 0 0 1-5 0 3 3 0 0 1-5-2zm1 9h2v5h5v-4h2v4h5v-5h2v7H4z',
  // a card with its stripe
  card: 'M2 6a2 2 0 0 1 2-2h16a2 2 0 0 1 2 2v2H2zm0 5h20v7a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2zm3 4v2h6v-2z',
};
