// Which screen is shown. The left navigation lists SCREENS in order; "Hóa đơn" and
// "Báo cáo Bộ Công Thương" are among them.
import { notices } from "./notices.svelte";

export type ScreenId = "ban-hang" | "don-hang" | "hoa-don" | "khach-hang" | "san-pham" | "bao-cao" | "ho-so-dang-ky" | "cai-dat";

export type ScreenEntry = { id: ScreenId; label: string; icon: string };

// Icons are 24×24 stroke paths.
export const SCREENS: ReadonlyArray<ScreenEntry> = [
  {
    id: "ban-hang",
    label: "Bán hàng",
    icon: "M3 4h2l2.4 10.2a1 1 0 0 0 1 .8h8.9a1 1 0 0 0 1-.8L20 7H6.2M9 20h.01M17 20h.01",
  },
  { id: "don-hang", label: "Đơn hàng", icon: "M8 6h12M8 12h12M8 18h12M4 6h.01M4 12h.01M4 18h.01" },
  {
    id: "hoa-don",
    label: "Hóa đơn",
    icon: "M6 3h12v18l-3-2-3 2-3-2-3 2V3zM9 8h6M9 12h6M9 16h3",
  },
  {
    id: "khach-hang",
    label: "Khách hàng",
    icon: "M16 20v-1.5a4 4 0 0 0-4-4H7a4 4 0 0 0-4 4V20M9.5 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7M21 20v-1.5a4 4 0 0 0-3-3.9M16 4.1a3.5 3.5 0 0 1 0 6.8",
  },
  { id: "san-pham", label: "Sản phẩm", icon: "M21 8l-9-5-9 5 9 5 9-5zM3 8v8l9 5 9-5V8M12 13v8" },
  {
    id: "bao-cao",
    label: "Báo cáo Bộ Công Thương",
    icon: "M4 20V10M10 20V4M16 20v-7M22 20H2",
  },
  {
    id: "ho-so-dang-ky",
    label: "Hồ sơ đăng ký",
    icon: "M14 3H6a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V9l-6-6zM14 3v6h6M8 13h8M8 17h5",
  },
  {
    id: "cai-dat",
    label: "Cài đặt",
    icon: "M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM19.4 15a1.7 1.7 0 0 0 .3 1.8l.1.1a2 2 0 1 1-2.8 2.8l-.1-.1a1.7 1.7 0 0 0-1.8-.3 1.7 1.7 0 0 0-1 1.5V21a2 2 0 1 1-4 0v-.1a1.7 1.7 0 0 0-1.1-1.5 1.7 1.7 0 0 0-1.8.3l-.1.1a2 2 0 1 1-2.8-2.8l.1-.1a1.7 1.7 0 0 0 .3-1.8 1.7 1.7 0 0 0-1.5-1H3a2 2 0 1 1 0-4h.1a1.7 1.7 0 0 0 1.5-1.1 1.7 1.7 0 0 0-.3-1.8l-.1-.1a2 2 0 1 1 2.8-2.8l.1.1a1.7 1.7 0 0 0 1.8.3H9a1.7 1.7 0 0 0 1-1.5V3a2 2 0 1 1 4 0v.1a1.7 1.7 0 0 0 1 1.5 1.7 1.7 0 0 0 1.8-.3l.1-.1a2 2 0 1 1 2.8 2.8l-.1.1a1.7 1.7 0 0 0-.3 1.8V9a1.7 1.7 0 0 0 1.5 1H21a2 2 0 1 1 0 4h-.1a1.7 1.7 0 0 0-1.5 1z",
  },
];

class Navigation {
  screen = $state<ScreenId>("ban-hang");
  /** The sale open on the "Đơn hàng" screen, if any. */
  saleId = $state<number | null>(null);

  go(screen: ScreenId): void {
    if (screen !== this.screen) notices.clear();
    this.screen = screen;
    if (screen === "don-hang") this.saleId = null;
  }

  openSale(id: number): void {
    notices.clear();
    this.screen = "don-hang";
    this.saleId = id;
  }
}

export const navigation = new Navigation();
