//! `hoadon invoice …`: e-invoices from scripts, over the same issuing code as the window.
//!
//! The CLI has no demo simulators of its own: configure a provider first
//! (`hoadon invoice settings …`). Passwords may come from `HOADON_INVOICE_PASSWORD` and
//! `HOADON_INVOICE_AC_PASSWORD` instead of the command line, where other users could see them.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use clap::{Args, Subcommand, ValueEnum};
use hoadon_core::einvoice::AnyProvider;
use hoadon_core::invoicing::{AdjustmentForm, InvoiceSettingsForm, Invoicer, ProviderChoice, Signing};
use hoadon_core::store::{AdjustmentDirection, InvoiceRecord, InvoiceStatus};
use hoadon_core::{Error, Shop};
use crate::secret_input::{self, SecretSource};

#[derive(Subcommand)]
pub enum InvoiceCommand {
    /// Set the provider account, template and symbol.
    Settings(SettingsArgs),
    /// Issue the invoice of a sale (or find that it was issued).
    Issue { sale: i64 },
    /// The invoice of a sale, and its event log with --events.
    Status {
        sale: i64,
        #[arg(long)]
        events: bool,
    },
    /// Cancel the issued invoice of a sale.
    Cancel {
        sale: i64,
        #[arg(long)]
        reason: String,
    },
    /// Raise or lower the amounts of a sale's issued invoice with an adjusting invoice that
    /// carries the differences only.
    Adjust {
        sale: i64,
        #[arg(long, value_enum)]
        direction: DirectionArg,
        #[arg(long)]
        reason: String,
        /// One difference, as in `sales add`: "name;quantity;unit price;VAT rate[;unit]",
        /// e.g. "Khăn lụa;1;35.000;5;cái". Repeat for more lines.
        #[arg(long = "line", required = true)]
        lines: Vec<String>,
    },
    /// Ask the provider about every waiting or unclear invoice, and send what it does not have.
    /// Only invoices bound to the account configured now; one sender per invoice across
    /// processes (a row another process is sending is skipped, and counted as waiting).
    Reconcile {
        /// Run the queue up to this many passes, stopping early once nothing waits.
        #[arg(long, default_value_t = 1)]
        passes: u32,
        /// Pause between passes, in milliseconds.
        #[arg(long, default_value_t = 1000)]
        every_ms: u64,
    },
    /// "Xuất lại với mã mới": for an invoice in "Trùng mã" (the provider holds another sale's
    /// invoice under its key), issue the sale's invoice under a new key.
    Reissue {
        sale: i64,
        /// Confirms that the invoice the provider holds under the old key is not this sale's.
        #[arg(long)]
        yes: bool,
    },
    /// Write the provider's PDF of a sale's issued invoice.
    Pdf {
        sale: i64,
        #[arg(short = 'o', long)]
        output: PathBuf,
    },
}

/// Who signs the invoices.
#[derive(Clone, Copy, ValueEnum)]
pub enum SigningArg {
    /// The provider signs as it issues (remote signing, HSM).
    Provider,
    /// Only unsigned drafts are created; the owner signs them with a USB token in the
    /// provider's software, and `invoice reconcile` picks up their numbers.
    Token,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum DirectionArg {
    Increase,
    Decrease,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ProviderArg {
    Vnpt,
    Easyinvoice,
    Viettel,
}

impl ProviderArg {
    fn choice(self) -> ProviderChoice {
        match self {
            ProviderArg::Vnpt => ProviderChoice::Vnpt,
            ProviderArg::Easyinvoice => ProviderChoice::EasyInvoice,
            ProviderArg::Viettel => ProviderChoice::Viettel,
        }
    }
}

#[derive(Args)]
pub struct SettingsArgs {
    #[arg(long, value_enum)]
    provider: ProviderArg,
    /// The provider's host, e.g. https://0312345678.easyinvoice.vn; Viettel: empty for its one
    /// host, https://api-vinvoice.viettel.vn.
    #[arg(long, default_value = "")]
    url: String,
    #[arg(long)]
    username: String,
    /// The password (better: HOADON_INVOICE_PASSWORD, --password-stdin or the prompt; a value
    /// here shows in `ps`).
    #[arg(long)]
    password: Option<String>,
    /// Read the password from the first line of stdin.
    #[arg(long, conflicts_with = "password")]
    password_stdin: bool,
    /// VNPT: the issuing account (Account).
    #[arg(long, default_value = "")]
    account: String,
    /// VNPT: the issuing account's password (better: HOADON_INVOICE_AC_PASSWORD or the prompt).
    #[arg(long)]
    ac_password: Option<String>,
    /// Viettel: the seller's tax code (supplierTaxCode, required); EasyInvoice shared host: the
    /// seller's tax code, sent as the sixth field.
    #[arg(long, default_value = "")]
    seller_tax_code: String,
    /// EasyInvoice, household business: the code of its place of business (LocationCode).
    #[arg(long, default_value = "")]
    location_code: String,
    /// Mẫu số, as the provider writes it: VNPT and Viettel `1/001` (the default there),
    /// EasyInvoice `1`.
    #[arg(long)]
    template: Option<String>,
    #[arg(long)]
    serial: String,
    #[arg(long, value_enum, default_value = "provider")]
    signing: SigningArg,
    /// Save even though invoices still wait for the account being replaced (they stay bound
    /// to it: "gửi ở tài khoản cũ").
    #[arg(long)]
    confirm_account_change: bool,
}

fn print(inv: &InvoiceRecord, json: bool, current_account: Option<&str>) {
    if json {
        println!("{}", serde_json::to_string_pretty(inv).expect("serialises"));
        return;
    }
    let number = inv.number.map(|n| format!(" số {n}")).unwrap_or_default();
    let elsewhere = match (inv.account.as_deref(), current_account) {
        (Some(a), Some(c)) if a != c => " – gửi ở tài khoản cũ",
        _ => "",
    };
    println!("Đơn hàng {}: hóa đơn {}{}{} – {}{elsewhere} (mã {})", inv.sale_id, inv.template, inv.symbol, number, inv.status.label(), inv.key);
    if let Some(c) = &inv.conflict {
        println!("  {c}");
    }
    if let Some(e) = &inv.last_error {
        println!("  {e}");
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime starts")
}

pub fn run(shop: Shop, db: &Path, cmd: InvoiceCommand, json: bool) -> Result<(), Error> {
    let secrets = hoadon_core::secrets_beside(db);
    let provider = |shop: &Shop| -> Result<AnyProvider, Error> {
        let settings = shop.provider_settings(&secrets, &[])?;
        AnyProvider::new(settings).map_err(|e| Error::Provider { message: e.to_string(), unclear: false })
    };
    let invoicer = Invoicer::new();
    let current = shop.invoice_account().ok();
    let print = |inv: &InvoiceRecord, json: bool| print(inv, json, current.as_deref());
    match cmd {
        InvoiceCommand::Settings(a) => {
            let confirmed = a.confirm_account_change;
            let password = secret_input::read(
                SecretSource { flag: "--password", value: a.password, env: "HOADON_INVOICE_PASSWORD", prompt: "Mật khẩu: " },
                a.password_stdin,
            )?
            .unwrap_or_default();
            let ac_password = match a.provider {
                ProviderArg::Vnpt => secret_input::read(
                    SecretSource { flag: "--ac-password", value: a.ac_password, env: "HOADON_INVOICE_AC_PASSWORD", prompt: "Mật khẩu tài khoản phát hành: " },
                    false,
                )?,
                ProviderArg::Easyinvoice | ProviderArg::Viettel => a.ac_password,
            }
            .unwrap_or_default();
            let saved = shop.save_invoice_settings_checked(
                &secrets,
                &InvoiceSettingsForm {
                    provider: a.provider.choice(),
                    demo: false,
                    base_url: a.url,
                    username: a.username,
                    password,
                    account: a.account,
                    ac_password,
                    seller_tax_code: a.seller_tax_code,
                    location_code: a.location_code,
                    template: a.template.unwrap_or_else(|| a.provider.choice().default_template().into()),
                    serial: a.serial,
                    signing: match a.signing {
                        SigningArg::Provider => Signing::Provider,
                        SigningArg::Token => Signing::Token,
                    },
                },
                confirmed,
            )?;
            if !saved.saved {
                for row in &saved.waiting {
                    eprintln!("  đơn hàng {} – {} (mã {})", row.invoice.sale_id, row.invoice.status.label(), row.invoice.key);
                }
                let warning = saved.warning.unwrap_or_default();
                return Err(Error::field("confirm_account_change", format!("{warning} Chạy lại với --confirm-account-change để vẫn lưu.")));
            }
            if let Some(w) = &saved.warning {
                println!("{w}");
            }
            let view = saved.settings;
            println!("Đã lưu cài đặt hóa đơn: {} {}, mẫu số {}, ký hiệu {}.", view.provider.label(), view.base_url, view.template, view.serial);
        }
        InvoiceCommand::Issue { sale } => {
            let p = provider(&shop)?;
            let shop = Mutex::new(shop);
            let inv = runtime().block_on(invoicer.issue(&shop, &secrets, &p, sale))?;
            print(&inv, json);
        }
        InvoiceCommand::Status { sale, events } => {
            let invoices = shop.store().invoices_of_sale(sale)?;
            if invoices.is_empty() {
                println!("Đơn hàng {sale} chưa có hóa đơn.");
            }
            for inv in invoices {
                print(&inv, json);
                if events {
                    for e in shop.store().invoice_events(inv.id)? {
                        println!("    {}  {:<12} {}", hoadon_core::rules::calendar::format_moment(e.at), e.kind, e.detail);
                    }
                }
            }
        }
        InvoiceCommand::Cancel { sale, reason } => {
            let inv = shop.store().live_invoice_of_sale(sale)?.ok_or_else(|| Error::field("sale", format!("Đơn hàng {sale} không có hóa đơn đang hiệu lực.")))?;
            let p = provider(&shop)?;
            let shop = Mutex::new(shop);
            let done = runtime().block_on(invoicer.cancel(&shop, &p, inv.id, &reason))?;
            print(&done, json);
        }
        InvoiceCommand::Adjust { sale, direction, reason, lines } => {
            let inv = shop.store().live_invoice_of_sale(sale)?.ok_or_else(|| Error::field("sale", format!("Đơn hàng {sale} không có hóa đơn đang hiệu lực.")))?;
            let form = AdjustmentForm {
                direction: match direction {
                    DirectionArg::Increase => AdjustmentDirection::Increase,
                    DirectionArg::Decrease => AdjustmentDirection::Decrease,
                },
                reason,
                lines: lines.iter().map(|l| crate::sales::read_line(l)).collect(),
            };
            let p = provider(&shop)?;
            let shop = Mutex::new(shop);
            let done = runtime().block_on(invoicer.adjust_amounts(&shop, &secrets, &p, inv.id, &form))?;
            print(&done, json);
        }
        InvoiceCommand::Reconcile { passes, every_ms } => {
            let p = provider(&shop)?;
            let shop = Mutex::new(shop);
            let rt = runtime();
            for pass in 1..=passes.max(1) {
                let report = rt.block_on(invoicer.process_queue(&shop, &secrets, &p))?;
                if json {
                    println!("{}", serde_json::to_string(&report).expect("serialises"));
                } else {
                    println!(
                        "Đã phát hành {}, còn chờ {}, bị từ chối {}, hóa đơn nháp đã được ký {}, trùng mã {}, ở tài khoản cũ {}.",
                        report.issued, report.still_waiting, report.failed, report.drafts_signed, report.key_conflicts, report.other_account
                    );
                }
                if report.still_waiting == 0 || pass == passes {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(every_ms));
            }
        }
        InvoiceCommand::Reissue { sale, yes } => {
            let inv = shop.store().live_invoice_of_sale(sale)?.ok_or_else(|| Error::field("sale", format!("Đơn hàng {sale} không có hóa đơn đang hiệu lực.")))?;
            let inv = match shop.store().live_successor_of(inv.id)? {
                Some(s) if s.status == InvoiceStatus::KeyConflict => s,
                _ => inv,
            };
            if !yes {
                print(&inv, false);
                return Err(Error::field("yes", "Hãy kiểm tra hóa đơn nhà cung cấp đang giữ theo mã cũ, rồi chạy lại với --yes để xuất hóa đơn của đơn hàng này theo mã mới."));
            }
            let p = provider(&shop)?;
            let shop = Mutex::new(shop);
            let done = runtime().block_on(invoicer.reissue_with_new_key(&shop, &secrets, &p, inv.id))?;
            print(&done, json);
        }
        InvoiceCommand::Pdf { sale, output } => {
            let inv = shop.store().live_invoice_of_sale(sale)?.ok_or_else(|| Error::field("sale", format!("Đơn hàng {sale} không có hóa đơn đang hiệu lực.")))?;
            let p = provider(&shop)?;
            let shop = Mutex::new(shop);
            let bytes = runtime().block_on(invoicer.provider_pdf(&shop, &p, inv.id))?;
            std::fs::write(&output, bytes).map_err(|e| Error::field("output", format!("Không ghi được {}: {e}", output.display())))?;
            println!("Đã lưu PDF của nhà cung cấp vào {}", output.display());
        }
    }
    Ok(())
}
