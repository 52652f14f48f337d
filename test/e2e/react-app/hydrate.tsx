// Entry of the server-rendered page: hydrates the HTML that renderToString made from the same
// component with the same props.
import { hydrateRoot } from 'react-dom/client';
import { Shop, type ShopProps } from './shop.js';

const props = (window as unknown as { shopProps: ShopProps }).shopProps;
hydrateRoot(document.getElementById('root')!, <Shop {...props} />, {
  onRecoverableError: (error) => console.error('hydration:', String(error)),
});
