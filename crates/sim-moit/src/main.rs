//! `sim-moit`: pulls a shop's MOIT figures as online.gov.vn would and prints them.

use hoadon_sim_moit::{GUIDE_KEYS, Puller};

const USAGE: &str = "usage:
  sim-moit api URL USER PASSWORD    POST {\"UserName\",\"PassWord\"} to URL, check and print the 9 figures
  sim-moit page BASE_URL PASSWORD   log into the report page as BaocaoTMDT and print the table";

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let puller = Puller::new();
    let outcome = match args.as_slice() {
        ["api", url, user, password] => puller.pull_api(url, user, password).await.map(|answer| {
            println!("API answer ({:?} keys), valid:", answer.case);
            for (key, value) in GUIDE_KEYS.iter().zip(answer.values) {
                println!("  {key:<30} {value}");
            }
            for problem in answer.inconsistencies() {
                println!("  warning: {problem}");
            }
        }),
        ["page", url, password] => puller.pull_page(url, password).await.map(|page| {
            println!("{}\n{}", page.heading, page.period_line);
            println!("{}", page.columns.join(" | "));
            for row in &page.rows {
                let group = row.group.as_deref().map(|g| format!("{g} / ")).unwrap_or_default();
                println!("  {group}{} {} → {}", row.criterion, row.note, row.value);
            }
        }),
        _ => {
            eprintln!("{USAGE}");
            std::process::exit(2);
        }
    };
    if let Err(e) = outcome {
        eprintln!("sim-moit: {e}");
        std::process::exit(1);
    }
}
