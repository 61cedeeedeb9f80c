use clap::{Subcommand, ValueEnum};
use hoadon_core::store::CustomerKind;
use hoadon_core::{CustomerForm, Error, Shop};

#[derive(Subcommand)]
pub enum CustomersCommand {
    /// Add a customer; exit status 2 and the reason when a field (such as the MST) is wrong.
    Add {
        #[arg(long, value_enum, default_value = "person")]
        kind: Kind,
        #[arg(long)]
        name: String,
        /// Mã số thuế (10 digits, branch 10+3, or a 12-digit personal ID).
        #[arg(long, default_value = "")]
        tax_code: String,
        /// The person who buys for a business.
        #[arg(long, default_value = "")]
        buyer: String,
        #[arg(long, default_value = "")]
        address: String,
        #[arg(long, default_value = "")]
        email: String,
        #[arg(long, default_value = "")]
        phone: String,
    },
    /// List customers, optionally those matching a search.
    List {
        #[arg(long, default_value = "")]
        search: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Kind {
    Person,
    Business,
}

pub fn run(shop: &Shop, cmd: CustomersCommand, json: bool) -> Result<(), Error> {
    match cmd {
        CustomersCommand::Add { kind, name, tax_code, buyer, address, email, phone } => {
            let kind = match kind {
                Kind::Person => CustomerKind::Person,
                Kind::Business => CustomerKind::Business,
            };
            let c = shop.save_customer(None, &CustomerForm { kind, name, buyer_name: buyer, tax_code, address, email, phone })?;
            if json {
                println!("{}", serde_json::to_string_pretty(&c).expect("serialises"));
            } else {
                println!("Đã lưu khách hàng số {}: {}", c.id, c.name);
            }
        }
        CustomersCommand::List { search } => {
            let list = shop.customers(&search)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&list).expect("serialises"));
            } else {
                for c in list {
                    println!("{:>5}  {:<14}  {}", c.id, c.tax_code.as_deref().unwrap_or("-"), c.name);
                }
            }
        }
    }
    Ok(())
}
