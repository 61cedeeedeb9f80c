use clap::{Subcommand, ValueEnum};
use hoadon_core::rules::calendar;
use hoadon_core::store::SaleStatus;
use hoadon_core::{Error, SaleForm, SaleLineForm, SalesQuery, Shop};

#[derive(Subcommand)]
pub enum SalesCommand {
    /// Record a sale.
    Add {
        /// The customer's number; a walk-in customer when absent.
        #[arg(long)]
        customer: Option<i64>,
        /// A line: "name;quantity;unit price;VAT rate[;unit]", e.g. "Gạo ST25;2,5;34.000;5;kg". Repeat for more lines.
        #[arg(long = "line", required = true)]
        lines: Vec<String>,
        #[arg(long, value_enum, default_value = "completed")]
        status: Status,
        /// The day of the sale (dd/MM/yyyy, noon in Vietnam); now when absent.
        #[arg(long)]
        date: Option<String>,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// List sales, newest first.
    List {
        #[arg(long, default_value = "")]
        search: String,
        /// From this day (dd/MM/yyyy or yyyy-MM-dd).
        #[arg(long, default_value = "")]
        from: String,
        /// Up to and including this day.
        #[arg(long, default_value = "")]
        to: String,
        #[arg(long, value_enum)]
        status: Option<Status>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Status {
    Completed,
    Failed,
    Pending,
}

impl From<Status> for SaleStatus {
    fn from(s: Status) -> SaleStatus {
        match s {
            Status::Completed => SaleStatus::Completed,
            Status::Failed => SaleStatus::Failed,
            Status::Pending => SaleStatus::Pending,
        }
    }
}

/// "name;quantity;unit price;VAT rate[;unit]", the line of `sales add` and `invoice adjust`;
/// what is missing stays empty for the core to name.
pub(crate) fn read_line(text: &str) -> SaleLineForm {
    let mut parts = text.split(';').map(str::trim);
    SaleLineForm {
        product_id: None,
        name: parts.next().unwrap_or("").to_string(),
        quantity: parts.next().unwrap_or("").to_string(),
        unit_price: parts.next().unwrap_or("").to_string(),
        vat_rate: parts.next().unwrap_or("").to_string(),
        unit: parts.next().unwrap_or("").to_string(),
    }
}

pub fn run(shop: &mut Shop, cmd: SalesCommand, json: bool) -> Result<(), Error> {
    match cmd {
        SalesCommand::Add { customer, lines, status, date, note } => {
            let sold_at = match date {
                None => None,
                Some(d) => {
                    let day = calendar::parse_date(&d)
                        .ok_or_else(|| Error::field("date", format!("Ngày «{d}» không hợp lệ (dd/MM/yyyy).")))?;
                    Some(calendar::start_of_day(day) + 12 * 3600)
                }
            };
            let form = SaleForm { customer_id: customer, status: status.into(), note, lines: lines.iter().map(|l| read_line(l)).collect(), sold_at };
            let sale = shop.save_sale(&form)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&sale).expect("serialises"));
            } else {
                println!("Đã lưu đơn hàng số {}: tổng cộng {}", sale.id, sale.totals.total);
            }
        }
        SalesCommand::List { search, from, to, status } => {
            let list = shop.sales(&SalesQuery { search, from, to, status: status.map(Into::into) })?;
            if json {
                println!("{}", serde_json::to_string_pretty(&list).expect("serialises"));
            } else {
                for s in list {
                    println!(
                        "{:>6}  {}  {:<11}  {:>16}  {}",
                        s.id,
                        calendar::format_moment(s.sold_at),
                        s.status.label(),
                        s.total.to_string(),
                        s.customer_name.as_deref().unwrap_or("Khách lẻ")
                    );
                }
            }
        }
    }
    Ok(())
}
