// How to pay a virtual account at the common Indonesian banks, by ATM, mobile banking and
// internet banking, in en / id / uk. Loaded on demand (dist/kasir-banks.js) when the order panel
// shows a pay code at one of these banks. The menu names are the banks' own (their apps and ATMs
// show them in Indonesian or English whatever the shopper's language), so they stay as they are;
// the steps around them are translated. Written from the banks' public help pages as of 2026:
// banks rename menus now and then, which is why every step names the menu rather than a key.
import type { Locale } from '../../proxy/lib/contract.js';

export interface BankSteps {
  name: string;
  channels: { title: string; steps: string[] }[];
}

interface Bank {
  name: string;
  /** ATM menu path to the virtual-account payment. */
  atm: string;
  mobile: { app: string; menu: string };
  internet: { site: string; menu: string };
}

const BANKS: Record<string, Bank> = {
  bca: {
    name: 'BCA',
    atm: 'Transaksi Lainnya → Transfer → ke Rek BCA Virtual Account',
    mobile: { app: 'BCA mobile (m-BCA)', menu: 'm-Transfer → BCA Virtual Account' },
    internet: { site: 'KlikBCA', menu: 'Transfer Dana → Transfer ke BCA Virtual Account' },
  },
  mandiri: {
    name: 'Mandiri',
    atm: 'Bayar/Beli → Lainnya → Multipayment',
    mobile: { app: 'Livin’ by Mandiri', menu: 'Bayar → Buat Pembayaran Baru → Multipayment' },
    internet: { site: 'Mandiri Internet Banking', menu: 'Bayar → Multi Payment' },
  },
  bni: {
    name: 'BNI',
    atm: 'Menu Lain → Transfer → Virtual Account Billing',
    mobile: { app: 'BNI Mobile Banking (wondr)', menu: 'Transfer → Virtual Account Billing' },
    internet: { site: 'BNI Internet Banking', menu: 'Transfer → Virtual Account Billing' },
  },
  bri: {
    name: 'BRI',
    atm: 'Transaksi Lain → Pembayaran → Lainnya → BRIVA',
    mobile: { app: 'BRImo', menu: 'Pembayaran → BRIVA' },
    internet: { site: 'Internet Banking BRI', menu: 'Pembayaran → BRIVA' },
  },
  permata: {
    name: 'PermataBank',
    atm: 'Transaksi Lainnya → Pembayaran → Pembayaran Lainnya → Virtual Account',
    mobile: { app: 'PermataMobile X', menu: 'Bayar Tagihan → Virtual Account' },
    internet: { site: 'PermataNet', menu: 'Pembayaran → Pembayaran Tagihan → Virtual Account' },
  },
};

type Steps = { atm: string; mobile: string; internet: string; lines: (b: Bank) => [string[], string[], string[]] };

// {code} and {amount} are filled in by the panel.
const TEXT: Record<Locale, Steps> = {
  en: {
    atm: 'ATM',
    mobile: 'Mobile banking',
    internet: 'Internet banking',
    lines: (b) => [
      [`Insert your ${b.name} card and enter your PIN.`, `Choose ${b.atm}.`, 'Enter the virtual account number {code}.', 'Check that the amount is {amount} and the name is right, then confirm.', 'Keep the receipt.'],
      [`Open ${b.mobile.app} and sign in.`, `Choose ${b.mobile.menu}.`, 'Enter the virtual account number {code}.', 'Check that the amount is {amount}, then confirm with your PIN.'],
      [`Sign in to ${b.internet.site}.`, `Choose ${b.internet.menu}.`, 'Enter the virtual account number {code}.', 'Check that the amount is {amount}, then confirm with your token or OTP.'],
    ],
  },
  id: {
    atm: 'ATM',
    mobile: 'Mobile banking',
    internet: 'Internet banking',
    lines: (b) => [
      [`Masukkan kartu ${b.name} dan PIN Anda.`, `Pilih ${b.atm}.`, 'Masukkan nomor virtual account {code}.', 'Pastikan jumlahnya {amount} dan namanya benar, lalu konfirmasi.', 'Simpan struknya.'],
      [`Buka ${b.mobile.app} dan masuk.`, `Pilih ${b.mobile.menu}.`, 'Masukkan nomor virtual account {code}.', 'Pastikan jumlahnya {amount}, lalu konfirmasi dengan PIN Anda.'],
      [`Masuk ke ${b.internet.site}.`, `Pilih ${b.internet.menu}.`, 'Masukkan nomor virtual account {code}.', 'Pastikan jumlahnya {amount}, lalu konfirmasi dengan token atau OTP.'],
    ],
  },
  uk: {
    atm: 'Банкомат',
    mobile: 'Мобільний банк',
    internet: 'Інтернет-банк',
    lines: (b) => [
      [`Вставте картку ${b.name} і введіть PIN-код.`, `Оберіть ${b.atm}.`, 'Введіть номер віртуального рахунку {code}.', 'Перевірте, що сума {amount} і назва правильні, і підтвердьте.', 'Збережіть чек.'],
      [`Відкрийте ${b.mobile.app} і увійдіть.`, `Оберіть ${b.mobile.menu}.`, 'Введіть номер віртуального рахунку {code}.', 'Перевірте, що сума {amount}, і підтвердьте PIN-кодом.'],
      [`Увійдіть у ${b.internet.site}.`, `Оберіть ${b.internet.menu}.`, 'Введіть номер віртуального рахунку {code}.', 'Перевірте, що сума {amount}, і підтвердьте токеном або OTP.'],
    ],
  },
};

/** The steps for `bank` (`bca`, `mandiri`, `bni`, `bri`, `permata`) in `lang`; undefined for another bank. */
export function stepsFor(bank: string, lang: Locale): BankSteps | undefined {
  const b = BANKS[bank];
  if (!b) return undefined;
  const text = TEXT[lang];
  const [atm, mobile, internet] = text.lines(b);
  return {
    name: b.name,
    channels: [
      { title: text.atm, steps: atm },
      { title: `${text.mobile} · ${b.mobile.app}`, steps: mobile },
      { title: `${text.internet} · ${b.internet.site}`, steps: internet },
    ],
  };
}
