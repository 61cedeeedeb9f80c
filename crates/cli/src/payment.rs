//! `hoadon payment settings|banks|code`: the shop's VietQR account, the banks it can be at,
//! and the code of a sale (the text its QR carries), through the same `Shop` as Cài đặt.

use clap::{Args, Subcommand};
use hoadon_core::rules::money::group_thousands;
use hoadon_core::{Error, PaymentSettingsForm, PaymentTarget, Shop};

#[derive(Subcommand)]
pub enum PaymentCommand {
    /// Show, save or remove the bank account buyers pay into by scanning.
    Settings(SettingsArgs),
    /// The banks (NAPAS BIN, short name, full name) `--bank` takes.
    Banks,
    /// The VietQR code of a sale: its payload, amount and transfer note.
    Code {
        /// The sale's number.
        sale: i64,
    },
}

#[derive(Args)]
pub struct SettingsArgs {
    /// The bank's NAPAS BIN (see `hoadon payment banks`), e.g. 970436 for Vietcombank.
    #[arg(long)]
    bank: Option<String>,
    /// The account (or, with --card, card) number: digits only.
    #[arg(long)]
    account: Option<String>,
    /// The holder's name as the bank has it, e.g. "NGUYEN VAN A".
    #[arg(long)]
    name: Option<String>,
    /// The number is a card number, not an account number.
    #[arg(long)]
    card: bool,
    /// Remove the saved account: sales and prints carry no code any more.
    #[arg(long, conflicts_with_all = ["bank", "account", "name", "card"])]
    clear: bool,
}

pub fn run(shop: &Shop, cmd: PaymentCommand, json: bool) -> Result<(), Error> {
    match cmd {
        PaymentCommand::Settings(a) if a.clear => {
            shop.clear_payment_settings()?;
            println!("Đã xóa tài khoản nhận tiền.");
        }
        PaymentCommand::Settings(a) if a.bank.is_none() && a.account.is_none() && a.name.is_none() => {
            let saved = shop.payment_settings()?;
            match (&saved, json) {
                (_, true) => println!("{}", serde_json::to_string_pretty(&saved).expect("serialises")),
                (None, false) => println!("Chưa cài đặt tài khoản nhận tiền (hoadon payment settings --bank … --account … --name …)."),
                (Some(s), false) => println!("{}", describe(shop, s)),
            }
        }
        PaymentCommand::Settings(a) => {
            let form = PaymentSettingsForm {
                bank_bin: a.bank.unwrap_or_default(),
                account_number: a.account.unwrap_or_default(),
                account_name: a.name.unwrap_or_default(),
                target: if a.card { PaymentTarget::Card } else { PaymentTarget::Account },
            };
            let saved = shop.save_payment_settings(&form)?;
            println!("Đã lưu: {}", describe(shop, &saved));
        }
        PaymentCommand::Banks => {
            if json {
                println!("{}", serde_json::to_string_pretty(shop.payment_banks()).expect("serialises"));
            } else {
                for b in shop.payment_banks() {
                    println!("{}  {:<18} {}", b.bin, b.short_name, b.full_name);
                }
            }
        }
        PaymentCommand::Code { sale } => match shop.sale_payment_code(sale)? {
            None => return Err(Error::field("bank_bin", "Chưa cài đặt tài khoản nhận tiền: hoadon payment settings --bank … --account … --name …")),
            Some(code) if json => println!("{}", serde_json::to_string_pretty(&code).expect("serialises")),
            Some(code) => {
                println!("{}", code.payload);
                println!("Số tiền: {} đ — Nội dung: {}", group_thousands(code.amount), code.note);
            }
        },
    }
    Ok(())
}

fn describe(shop: &Shop, s: &PaymentSettingsForm) -> String {
    let bank = shop.payment_banks().iter().find(|b| b.bin == s.bank_bin).map_or(s.bank_bin.as_str(), |b| b.short_name.as_str());
    let what = match s.target {
        PaymentTarget::Account => "tài khoản",
        PaymentTarget::Card => "thẻ",
    };
    format!("{bank}, {what} {}, chủ tài khoản {}", s.account_number, s.account_name)
}
