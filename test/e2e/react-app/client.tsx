// Entry of the client-rendered page (Vite): the shop's props come from the page.
import { createRoot } from 'react-dom/client';
import { Shop, type ShopProps } from './shop.js';

const props = (window as unknown as { shopProps: ShopProps }).shopProps;
createRoot(document.getElementById('root')!).render(<Shop {...props} />);
