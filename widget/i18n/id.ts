// Loaded on demand, in its own chunk (see widget/chunks.ts).
import type { Messages } from './en.js';

export const id: Messages = {
  name: 'Nama',
  email: 'Email',
  phone: 'Nomor telepon',
  methodsLoading: 'Memuat metode pembayaran…',
  pay: 'Bayar',
  paying: 'Memproses…',
  redirecting: 'Mengalihkan ke pembayaran…',
  checking: 'Memeriksa pembayaran Anda…',
  checkAgain: 'Periksa lagi',

  name_required: 'Nama wajib diisi.',
  name_too_long: 'Nama terlalu panjang.',
  email_required: 'Email wajib diisi.',
  email_invalid: 'Masukkan alamat email yang valid.',
  phone_required: 'Nomor telepon wajib diisi.',
  phone_invalid: 'Masukkan nomor telepon yang valid.',

  network_error: 'Layanan pembayaran tidak terjangkau. Periksa koneksi Anda dan coba lagi.',
  server_error: 'Layanan pembayaran sedang tidak tersedia. Silakan coba lagi.',
  request_failed: 'Pembayaran tidak dapat dimulai.',
  unknown_sku: 'Ada produk di keranjang yang tidak tersedia.',
  items_or_cart: 'Keranjang Anda kosong.',
  price_unavailable: 'Ada produk di keranjang yang tidak dapat dibayar dengan metode ini.',
  order_not_found: 'Pesanan tidak ditemukan.',
  idempotency_in_progress: 'Pembayaran Anda masih disiapkan. Coba lagi sebentar lagi.',
  rate_limited: 'Terlalu banyak percobaan. Tunggu sebentar.',
  no_providers: 'Tidak ada metode pembayaran yang tersedia.',
  chunk_unavailable: 'Sebagian halaman pembayaran gagal dimuat. Muat ulang halaman.',
};
