//! How the merchant puts the embedded server on the internet as `baocao.<domain>`, in
//! Vietnamese, for the settings screen.

use crate::server::{DEFAULT_PORT, MoitServerConfig};
use crate::table::PAGE_USER;

/// The steps for the default port and API path.
pub fn publishing_help(domain: &str) -> String {
    let config = MoitServerConfig {
        api: Some(Default::default()),
        page: Some(Default::default()),
        port: DEFAULT_PORT,
        ..Default::default()
    };
    publishing_help_for(domain, &config)
}

/// The steps for `config` (its port, and the API path when the API option is on).
pub fn publishing_help_for(domain: &str, config: &MoitServerConfig) -> String {
    let host = public_host(domain).unwrap_or_else(|| "baocao.tenmien.vn".into());
    let port = config.port;
    let mut text = format!(
        "Công bố báo cáo cho Bộ Công Thương tại https://{host}\n\
         \n\
         Ứng dụng chỉ mở máy chủ báo cáo trên chính máy này (127.0.0.1, cổng {port}). Để Bộ Công Thương \
         truy cập được qua Internet, cần một máy chủ chuyển tiếp (reverse proxy) có chứng chỉ HTTPS đứng trước:\n\
         \n\
         1. Tên miền: tạo bản ghi DNS loại A cho «{host}» trỏ tới địa chỉ IP công khai của máy (hoặc của \
         máy chủ chuyển tiếp). Nếu máy ở cửa hàng nằm sau modem, mở cổng 443 trên modem về máy này, hoặc dùng \
         một dịch vụ đường hầm (tunnel) có HTTPS.\n\
         2. Chuyển tiếp có HTTPS (bắt buộc: máy chủ của ứng dụng chỉ nói HTTP, không mã hoá): cài Caddy (tự lấy chứng chỉ Let's Encrypt) với cấu hình:\n\
         \n\
         {host} {{\n    reverse_proxy 127.0.0.1:{port}\n}}\n\
         \n\
         Hoặc với nginx: một khối server cho {host} nghe cổng 443 có chứng chỉ, với \
         «location / {{ proxy_pass http://127.0.0.1:{port}; proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for; \
         proxy_set_header X-Forwarded-Proto $scheme; }}».\n\
         Hoặc một đường hầm có HTTPS, ví dụ Cloudflare Tunnel: «cloudflared tunnel --url http://127.0.0.1:{port}» \
         rồi gán tên {host} cho đường hầm trong trang quản lý của Cloudflare.\n\
         Máy chủ chỉ trả lời khi tiêu đề Host là 127.0.0.1, localhost hoặc {host}: hãy khai báo đúng tên miền \
         của cửa hàng trong cài đặt.\n\
         3. Trong cài đặt báo cáo của ứng dụng, bật «Đứng sau máy chủ chuyển tiếp», để việc chặn đăng nhập \
         sai nhiều lần tính theo địa chỉ của người truy cập thật chứ không theo máy chủ chuyển tiếp.\n\
         4. Không mở thẳng cổng {port} ra Internet: không có HTTPS, mật khẩu sẽ đi trên mạng dưới dạng chữ thường. \
         Chỉ khi máy chủ chuyển tiếp chạy trên một máy khác trong mạng cửa hàng mới đặt địa chỉ lắng nghe là IP \
         nội bộ của máy này (ví dụ 192.168.1.10), đánh dấu «Tôi hiểu và xác nhận mở ra ngoài», và dùng tường lửa \
         để chỉ máy chuyển tiếp vào được cổng {port}.\n\
         5. Kiểm tra: mở https://{host} trên điện thoại (dùng 4G, không dùng Wi-Fi của cửa hàng), đăng nhập \
         và xem bảng số liệu.\n\
         \n\
         Thông tin khai báo với Bộ Công Thương (online.gov.vn):\n"
    );
    if config.page.is_some() {
        text.push_str(&format!(
            "- Phương án trang báo cáo: địa chỉ https://{host}, tài khoản {PAGE_USER}, mật khẩu quý vị đã đặt.\n"
        ));
    }
    if let Some(api) = &config.api {
        let user = if api.user_name.is_empty() { "(tên đăng nhập quý vị đặt)" } else { api.user_name.as_str() };
        text.push_str(&format!(
            "- Phương án API: địa chỉ https://{host}{}, phương thức POST, tài khoản {user}, mật khẩu quý vị đã đặt.\n",
            api.path
        ));
    }
    text.push_str("Máy này cần đang bật và ứng dụng đang chạy khi Bộ Công Thương lấy số liệu.\n");
    text
}

/// The public name `baocao.<domain>` of the shop's website as typed (`https://www.shop.vn/`
/// gives `baocao.shop.vn`); `None` while no domain is set.
pub fn public_host(domain: &str) -> Option<String> {
    let domain = domain.trim().trim_start_matches("https://").trim_start_matches("http://").trim_end_matches('/');
    let domain = domain.strip_prefix("www.").unwrap_or(domain);
    (!domain.is_empty()).then(|| format!("baocao.{}", domain.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_host_the_port_and_what_to_declare() {
        let help = publishing_help("https://www.camhoa.vn/");
        assert!(help.starts_with("Công bố báo cáo cho Bộ Công Thương tại https://baocao.camhoa.vn\n"), "{help}");
        assert!(help.contains("baocao.camhoa.vn {\n    reverse_proxy 127.0.0.1:8787\n}"), "{help}");
        assert!(help.contains("tài khoản BaocaoTMDT"));
        assert!(help.contains("địa chỉ https://baocao.camhoa.vn/api/baocao, phương thức POST"));
        let page_only = MoitServerConfig { port: 9000, page: Some(Default::default()), ..Default::default() };
        let help = publishing_help_for("camhoa.vn", &page_only);
        assert!(help.contains("127.0.0.1:9000"));
        assert!(!help.contains("Phương án API"));
        assert!(help.contains("HTTPS") && help.contains("cloudflared tunnel --url http://127.0.0.1:9000"));
        assert!(help.contains("xác nhận mở ra ngoài"));
        assert_eq!(public_host("https://www.CamHoa.vn/").as_deref(), Some("baocao.camhoa.vn"));
        assert_eq!(public_host(" "), None);
    }
}
