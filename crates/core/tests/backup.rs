//! Backups and restore (issue 15): a copy taken while another thread saves sales, the
//! retention over 400 simulated days, "Hủy" leaving nothing under a final name, an unplugged or
//! read-only target shown as a warning, and a restore followed by the re-attachment of the
//! invoices issued since the copy, against the simulators.

mod support;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hoadon_core::backup::retention::{KEEP_DAILY, KEEP_MONTHLY};
use hoadon_core::backup::{reattach::reattach_after_restore, BackupControl, BackupKind};
use hoadon_core::invoicing::{Invoicer, ProviderChoice};
use hoadon_core::rules::calendar::{self, VIETNAM};
use hoadon_core::rules::{Dong, Quantity, VatRate};
use hoadon_core::store::{InvoiceStatus, NewSale, NewSaleLine, SaleStatus, ShopProfile, Store};
use hoadon_core::{SaleForm, SaleLineForm, SecretStore, Shop};
use hoadon_einvoice::{AnyProvider, Timeouts};
use time::{Date, Duration as Span, OffsetDateTime};

fn new_sale(i: i64) -> NewSale {
    NewSale {
        customer_id: None,
        seller_id: None,
        status: SaleStatus::Completed,
        sold_at: calendar::start_of_year(2026) + i * 60,
        note: String::new(),
        lines: vec![NewSaleLine { product_id: None, name: format!("Hàng {i}"), unit: "cái".into(), quantity: Quantity(1000), unit_price: Dong(10_000 + i), vat_rate: VatRate::Ten }],
    }
}

fn shop_file(dir: &Path) -> PathBuf {
    let path = dir.join("hoadon.db");
    let store = Store::open(&path).unwrap();
    store.save_shop(&ShopProfile { name: "Cửa hàng thử".into(), started_at: 0, ..Default::default() }).unwrap();
    path
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    names
}

/// A folder nobody may write in. chmod 0555 stops everyone but root; when the tests run as
/// root (the CI container), sysfs refuses new files to root too.
fn read_only_folder(dir: &Path) -> PathBuf {
    let folder = dir.join("chi-doc");
    std::fs::create_dir_all(&folder).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o555)).unwrap();
    }
    let probe = folder.join("thu");
    if std::fs::write(&probe, b"x").is_ok() {
        let _ = std::fs::remove_file(&probe);
        return PathBuf::from("/sys/kernel");
    }
    folder
}

#[test]
fn a_copy_taken_while_sales_are_saved_holds_every_sale_saved_before_it_began() {
    let dir = tempfile::tempdir().unwrap();
    let path = shop_file(dir.path());
    let store = Store::open(&path).unwrap();
    let batch: Vec<NewSale> = (0..20_000).map(new_sale).collect();
    store.add_sales(&batch).unwrap();
    drop(store);

    let saved = Arc::new(AtomicI64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (path, saved, stop) = (path.clone(), saved.clone(), stop.clone());
        std::thread::spawn(move || {
            let store = Store::open(&path).unwrap();
            let mut i = 20_000;
            while !stop.load(Ordering::SeqCst) {
                let sale = store.add_sale(&new_sale(i)).unwrap();
                saved.store(sale.id, Ordering::SeqCst);
                i += 1;
            }
            i - 20_000
        })
    };
    while saved.load(Ordering::SeqCst) < 20_050 {
        std::thread::sleep(Duration::from_millis(5));
    }
    let shop = Shop::open(&path).unwrap();
    let folder = dir.path().join("sao-luu");
    for n in 0..3 {
        // Every sale whose save had returned before the copy began.
        let before = saved.load(Ordering::SeqCst);
        let at = OffsetDateTime::now_utc() + Span::seconds(n);
        let made = shop.back_up_now(at, &BackupControl::new()).unwrap().expect("not cancelled");
        assert!(made.counts.sales >= before, "copy {n}: {} sales, {before} saved before it began", made.counts.sales);
        // Read now: the next copy of the same day prunes this one.
        let copy = folder.join(&made.file);
        assert!(copy.is_file());
        let copy = Store::open(copy).unwrap();
        copy.integrity_check().unwrap();
        let (count, max_id): (i64, i64) = copy.connection().query_row("SELECT COUNT(*), MAX(id) FROM sales WHERE id <= ?1", [before], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
        assert_eq!((count, max_id), (before, before), "{}: every sale up to {before}", made.file);
        assert_eq!(copy.count_sales().unwrap(), made.counts.sales, "the counts checked are the copy's");
        let lines: i64 = copy.connection().query_row("SELECT COUNT(*) FROM sale_lines", [], |r| r.get(0)).unwrap();
        assert_eq!(lines, made.counts.sales, "each sale with its line, none half-copied");
    }
    stop.store(true, Ordering::SeqCst);
    let written_meanwhile = writer.join().unwrap();
    assert!(written_meanwhile > 50, "the writer kept saving ({written_meanwhile} sales)");
    assert!(!files_in(&folder).iter().any(|n| n.ends_with(".tmp") || n.ends_with("-wal")), "{:?}", files_in(&folder));
    eprintln!("3 copies while a writer saved {written_meanwhile} sales: each holds every sale saved before it began");
}

/// The set the promise names, computed from the moments alone: the newest copy of each of the
/// last 14 days that have one, and of each of the last 12 months that have one.
fn promised(moments: &[OffsetDateTime]) -> Vec<OffsetDateTime> {
    let mut newest_first: Vec<OffsetDateTime> = moments.to_vec();
    newest_first.sort_by(|a, b| b.cmp(a));
    let local = |m: &OffsetDateTime| m.to_offset(VIETNAM).date();
    let mut days: Vec<Date> = newest_first.iter().map(local).collect();
    days.dedup();
    days.truncate(KEEP_DAILY);
    let mut months: Vec<(i32, time::Month)> = newest_first.iter().map(|m| (local(m).year(), local(m).month())).collect();
    months.dedup();
    months.truncate(KEEP_MONTHLY);
    let mut keep: Vec<OffsetDateTime> = Vec::new();
    for day in days {
        keep.push(*newest_first.iter().find(|m| local(m) == day).unwrap());
    }
    for (year, month) in months {
        keep.push(*newest_first.iter().find(|m| local(m).year() == year && local(m).month() == month).unwrap());
    }
    keep.sort();
    keep.dedup();
    keep
}

#[test]
fn pruning_keeps_exactly_the_promised_copies_over_400_days() {
    let dir = tempfile::tempdir().unwrap();
    let path = shop_file(dir.path());
    let shop = Shop::open(&path).unwrap();
    let folder = dir.path().join("sao-luu");
    let job = shop.backup_job().unwrap();
    let start = time::macros::datetime!(2026-01-01 01:30:00 UTC);
    let mut made = Vec::new();
    for day in 0..400i64 {
        // One copy a day at varying hours, two on some days, none on a few (the shop closed).
        if day % 37 == 5 {
            continue;
        }
        let mut times = vec![start + Span::days(day) + Span::minutes((day * 97) % 1200)];
        if day % 9 == 0 {
            times.push(times[0] + Span::hours(3));
        }
        for at in times {
            let copy = job.run(at, &BackupControl::new()).unwrap().unwrap();
            made.push((at, copy.file));
            let moments: Vec<OffsetDateTime> = made.iter().map(|(m, _)| *m).collect();
            let expected: Vec<String> = promised(&moments).iter().map(|m| made.iter().find(|(at, _)| at == m).unwrap().1.clone()).collect();
            let mut expected = expected;
            expected.sort();
            assert_eq!(files_in(&folder), expected, "day {day}");
        }
    }
    let kept = files_in(&folder);
    assert!(kept.len() <= KEEP_DAILY + KEEP_MONTHLY && kept.len() >= KEEP_DAILY + KEEP_MONTHLY - 2, "{} kept: {kept:?}", kept.len());
    assert_eq!(kept.first().map(|n| &n[..14]), Some("hoadon-2026-03"), "the oldest kept is the monthly copy of 11 months back");
    eprintln!("{} copies over 400 days; {} kept: {kept:?}", made.len(), kept.len());
}

#[test]
fn a_cancelled_copy_leaves_nothing_under_a_final_name_and_prunes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = shop_file(dir.path());
    let shop = Shop::open(&path).unwrap();
    // 40 MB of data, so the copy takes several steps.
    shop.store().set_setting("filler", &"x".repeat(40 << 20)).unwrap();
    let folder = dir.path().join("sao-luu");
    std::fs::create_dir_all(&folder).unwrap();
    // Old copies past the retention, which a finished copy would prune.
    let old: Vec<String> = (1..=20).map(|d| format!("hoadon-2025-01-{d:02}_10-00-00.db")).collect();
    for name in &old {
        std::fs::write(folder.join(name), b"").unwrap();
    }
    let control = BackupControl::new();
    control.cancel();
    let outcome = shop.back_up_now(OffsetDateTime::now_utc(), &control).unwrap();
    assert!(outcome.is_none(), "cancelled");
    let progress = control.progress();
    assert!(progress.done > 0 && progress.done < progress.total, "stopped after its first step: {progress:?}");
    let mut expected = old.clone();
    expected.sort();
    assert_eq!(files_in(&folder), expected, "no partial file, nothing pruned");
    assert_eq!(shop.backup_status(0).unwrap().warning, None, "a cancel is not a failure");

    // The same copy let to run: made, checked, and the old ones pruned.
    let made = shop.back_up_now(OffsetDateTime::now_utc(), &BackupControl::new()).unwrap().unwrap();
    assert!(made.size_bytes > 40 << 20);
    // Kept: today's copy and the newest 13 January days (14 days); the months (December and
    // January) add none. Pruned: the 7 oldest January copies.
    let mut pruned = made.pruned.clone();
    pruned.sort();
    assert_eq!(pruned, old[..7].to_vec());
}

/// A small shop is copied in one step, so "Hủy" lands while the copy is being checked (the
/// bar on screen then stands at 100 %): it is still honoured, and nothing is left.
#[test]
fn hủy_pressed_while_the_copy_is_checked_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = shop_file(dir.path());
    let shop = Shop::open(&path).unwrap();
    let folder = dir.path().join("sao-luu");
    std::fs::create_dir_all(&folder).unwrap();
    let control = BackupControl::new();
    control.cancel();
    assert!(shop.back_up_now(OffsetDateTime::now_utc(), &control).unwrap().is_none(), "cancelled");
    let progress = control.progress();
    assert_eq!(progress.done, progress.total, "the copy itself was done in one step: {progress:?}");
    assert_eq!(files_in(&folder), Vec::<String>::new(), "no copy, no temporary file");
}

#[test]
fn an_unplugged_or_read_only_target_is_a_warning_naming_the_last_good_copy() {
    let dir = tempfile::tempdir().unwrap();
    let path = shop_file(dir.path());
    let shop = Shop::open(&path).unwrap();
    let first = OffsetDateTime::now_utc() - Span::days(3);
    let good = shop.back_up_now(first, &BackupControl::new()).unwrap().unwrap();
    let status = shop.backup_status(first.unix_timestamp()).unwrap();
    assert_eq!((status.last_ok_file.as_deref(), status.warning.as_deref(), status.due), (Some(good.file.as_str()), None, false));
    assert!(status.passwords_note.contains("không chứa mật khẩu"), "{}", status.passwords_note);

    let usb = dir.path().join("usb");
    std::fs::create_dir_all(&usb).unwrap();
    shop.set_backup_folder(Some(&usb), 0).unwrap();
    std::fs::remove_dir_all(&usb).unwrap(); // pulled out
    let now = OffsetDateTime::now_utc();
    let err = shop.back_up_now(now, &BackupControl::new()).unwrap_err();
    assert!(err.user_message().contains("Không thấy thư mục sao lưu"), "{}", err.user_message());
    assert!(!usb.exists(), "a chosen folder that is gone is not created on the computer's disk");
    let status = shop.backup_status(now.unix_timestamp()).unwrap();
    let warning = status.warning.expect("a warning");
    assert!(warning.starts_with(&format!("Chưa sao lưu được từ {}", calendar::format_moment(first.unix_timestamp()))), "{warning}");
    assert!(status.due);

    let read_only = read_only_folder(dir.path());
    shop.set_backup_folder(Some(&read_only), 0).unwrap();
    let later = now + Span::minutes(10);
    let err = shop.back_up_now(later, &BackupControl::new()).unwrap_err();
    assert!(err.user_message().contains("Không ghi được bản sao lưu vào thư mục"), "{}", err.user_message());
    let status = shop.backup_status(later.unix_timestamp()).unwrap();
    assert_eq!(status.failing_since, Some(now.unix_timestamp()), "failing since the first failure");
    assert!(status.warning.unwrap().contains(&calendar::format_moment(first.unix_timestamp())));

    // Back to the default folder: the next copy clears the warning.
    shop.set_backup_folder(None, 0).unwrap();
    shop.back_up_now(later + Span::seconds(1), &BackupControl::new()).unwrap().unwrap();
    assert_eq!(shop.backup_status(later.unix_timestamp()).unwrap().warning, None);
}

fn open(path: &Path, choice: ProviderChoice) -> Mutex<Shop> {
    let shop = Shop::open(path).unwrap();
    shop.store().set_setting("invoice.provider", choice.code()).unwrap();
    Mutex::new(shop)
}

fn sale(shop: &Mutex<Shop>, price: i64) -> i64 {
    let line = SaleLineForm { product_id: None, name: "Áo dài lụa".into(), unit: "cái".into(), quantity: "1".into(), unit_price: price.to_string(), vat_rate: "10".into() };
    let form = SaleForm { customer_id: None, status: SaleStatus::Completed, note: String::new(), lines: vec![line], sold_at: Some(calendar::now().unix_timestamp()) };
    shop.lock().unwrap().save_sale(&form).unwrap().id
}

#[tokio::test]
async fn a_restore_lists_the_copies_puts_one_back_and_reattaches_the_invoices_issued_since() {
    for choice in ProviderChoice::ALL {
        let (sim, demo) = support::demo_sim(choice).await;
        let demo = [demo];
        let dir = tempfile::tempdir().unwrap();
        let secrets = SecretStore::new(dir.path());
        let shop = open(&dir.path().join("hoadon.db"), choice);
        let mut settings = shop.lock().unwrap().provider_settings(&secrets, &demo).unwrap();
        support::set_timeouts(&mut settings, Timeouts { connect: Duration::from_secs(2), request: Duration::from_secs(10) });
        let provider = AnyProvider::new(settings).unwrap();
        let invoicer = Invoicer::new();

        let issued_before = sale(&shop, 100_000);
        invoicer.issue(&shop, &secrets, &provider, issued_before).await.unwrap();
        let later_a = sale(&shop, 120_000);
        let later_b = sale(&shop, 130_000);
        let never = sale(&shop, 140_000);
        let taken = OffsetDateTime::now_utc() - Span::seconds(5);
        let made = shop.lock().unwrap().back_up_now(taken, &BackupControl::new()).unwrap().unwrap();
        assert_eq!((made.counts.sales, made.counts.invoices), (4, 1));

        // After the copy: two of its sales invoiced, and a new sale invoiced.
        let a = invoicer.issue(&shop, &secrets, &provider, later_a).await.unwrap();
        let b = invoicer.issue(&shop, &secrets, &provider, later_b).await.unwrap();
        let after = sale(&shop, 150_000);
        let lost = invoicer.issue(&shop, &secrets, &provider, after).await.unwrap();
        assert!([&a, &b, &lost].iter().all(|i| i.status == InvoiceStatus::Issued));

        let listed = shop.lock().unwrap().list_backups().unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!((listed[0].kind, listed[0].counts.map(|c| (c.sales, c.invoices))), (BackupKind::Scheduled, Some((4, 1))));
        let file = shop.lock().unwrap().backup_file(&listed[0].file).unwrap();
        assert!(shop.lock().unwrap().backup_file("../hoadon.db").is_err(), "only a listed name");

        let outcome = shop.lock().unwrap().restore_backup(&file, OffsetDateTime::now_utc()).unwrap();
        assert_eq!((outcome.counts.sales, outcome.counts.invoices), (4, 1), "the shop is the copy");
        assert!(shop.lock().unwrap().store().sale(after).is_err(), "the sale made after the copy is not in it");
        let listed = shop.lock().unwrap().list_backups().unwrap();
        assert_eq!(listed.iter().filter(|e| e.kind == BackupKind::BeforeRestore).map(|e| e.counts.map(|c| c.sales)).collect::<Vec<_>>(), vec![Some(5)], "the file as it was is kept");
        assert_eq!(shop.lock().unwrap().backup_status(0).unwrap().last_ok_file, Some(made.file.clone()), "the record of copies is carried across");

        let report = reattach_after_restore(&shop, &secrets, &provider, &outcome).await.unwrap();
        let mut attached: Vec<i64> = report.attached.iter().map(|r| r.sale_id).collect();
        attached.sort();
        assert_eq!(attached, vec![later_a, later_b], "{}: {report:?}", choice.code());
        assert_eq!(report.not_attached.len(), 1, "{report:?}");
        assert_eq!((report.not_attached[0].key.as_str(), report.not_attached[0].sale_id), (lost.key.as_str(), Some(after)));
        {
            let shop_now = shop.lock().unwrap();
            for (id, issued) in [(later_a, &a), (later_b, &b)] {
                let row = shop_now.store().live_invoice_of_sale(id).unwrap().unwrap();
                assert_eq!((row.status, row.key.as_str(), row.number), (InvoiceStatus::Issued, issued.key.as_str(), issued.number));
            }
            assert!(shop_now.store().live_invoice_of_sale(never).unwrap().is_none());
        }
        // Again: nothing more to attach.
        let again = reattach_after_restore(&shop, &secrets, &provider, &outcome).await.unwrap();
        assert!(again.attached.is_empty(), "{again:?}");
        assert_eq!(sim.issued_count(), 4, "nothing was sent again");
        eprintln!("{}: restored a 4-sale copy; re-attached {:?}; not attached {:?}", choice.code(), attached, report.not_attached);
    }
}

/// A shop on a temporary file, its provider the simulator of `choice` (demo account).
struct Restorable {
    sim: hoadon_sim_einvoice::SimHandle,
    _dir: tempfile::TempDir,
    secrets: SecretStore,
    shop: Mutex<Shop>,
    provider: AnyProvider,
    invoicer: Invoicer,
}

async fn restorable(choice: ProviderChoice) -> Restorable {
    let (sim, demo) = support::demo_sim(choice).await;
    let dir = tempfile::tempdir().unwrap();
    let secrets = SecretStore::new(dir.path());
    let shop = open(&dir.path().join("hoadon.db"), choice);
    let provider = AnyProvider::new(shop.lock().unwrap().provider_settings(&secrets, &[demo]).unwrap()).unwrap();
    Restorable { sim, _dir: dir, secrets, shop, provider, invoicer: Invoicer::new() }
}

/// The shop put back to its newest copy; the outcome and the copy's path.
fn restore_newest(shop: &Mutex<Shop>) -> (hoadon_core::backup::restore::RestoreOutcome, PathBuf) {
    let listed = shop.lock().unwrap().list_backups().unwrap();
    let file = shop.lock().unwrap().backup_file(&listed[0].file).unwrap();
    let outcome = shop.lock().unwrap().restore_backup(&file, OffsetDateTime::now_utc()).unwrap();
    (outcome, file)
}

/// The file set aside before the restore lost too (a dead disk, a new computer): the
/// provider's own list still finds the invoices issued since the copy. EasyInvoice (by day)
/// and VNPT (by number, after the last the restored shop holds) give the key back, so the
/// invoices are attached again; Viettel lists only its transaction id, so its invoice is
/// listed for the owner with its number, amount and buyer, and attached to nothing.
#[tokio::test]
async fn without_the_set_aside_file_the_provider_s_list_finds_the_invoices() {
    for choice in ProviderChoice::ALL {
        let Restorable { sim, _dir, secrets, shop, provider, invoicer } = restorable(choice).await;
        let before = sale(&shop, 100_000);
        let held = invoicer.issue(&shop, &secrets, &provider, before).await.unwrap();
        let later = sale(&shop, 120_000);
        let taken = OffsetDateTime::now_utc() - Span::seconds(5);
        shop.lock().unwrap().back_up_now(taken, &BackupControl::new()).unwrap().unwrap();
        let issued = invoicer.issue(&shop, &secrets, &provider, later).await.unwrap();
        assert_eq!((held.number, issued.number), (Some(1), Some(2)), "{}", choice.code());

        let (outcome, file) = restore_newest(&shop);
        let folder = file.parent().unwrap().to_path_buf();
        std::fs::remove_file(folder.join(&outcome.kept_copy)).unwrap();

        let report = reattach_after_restore(&shop, &secrets, &provider, &outcome).await.unwrap();
        assert!(report.source.starts_with("danh sách hóa đơn"), "{}: {}", choice.code(), report.source);
        assert_eq!((report.asked, report.list_error.as_deref()), (1, None), "{}: the invoice held in the copy is not asked about: {report:?}", choice.code());
        let row = shop.lock().unwrap().store().live_invoice_of_sale(later).unwrap();
        if choice == ProviderChoice::Viettel {
            assert!(report.attached.is_empty() && row.is_none(), "{report:?}");
            let [unattached] = &report.not_attached[..] else { panic!("{report:?}") };
            assert_eq!((unattached.number, unattached.sale_id), (Some(2), None));
            for fact in ["132.000 đồng", "không tự gắn"] {
                assert!(unattached.reason.contains(fact), "{fact}: {}", unattached.reason);
            }
        } else {
            assert_eq!(report.attached.iter().map(|r| r.sale_id).collect::<Vec<_>>(), vec![later], "{}: {report:?}", choice.code());
            assert!(report.not_attached.is_empty(), "{report:?}");
            let row = row.unwrap();
            assert_eq!((row.status, row.key.as_str(), row.number), (InvoiceStatus::Issued, issued.key.as_str(), issued.number));
        }
        assert_eq!(sim.issued_count(), 2, "nothing was sent again");
    }
}

/// Viettel's list carrying fewer rows than its `totalRows` for the day: the rows it gave are
/// still listed for the owner, and the report says which day was cut short. Its rows' state
/// numbers have no published meaning, so the owner is sent to the portal to see whether each
/// invoice still stands, never told it does.
#[tokio::test]
async fn a_list_cut_short_is_told_and_what_it_gave_is_still_listed() {
    let Restorable { sim, _dir, secrets, shop, provider, invoicer } = restorable(ProviderChoice::Viettel).await;
    let taken = OffsetDateTime::now_utc() - Span::seconds(5);
    shop.lock().unwrap().back_up_now(taken, &BackupControl::new()).unwrap().unwrap();
    for price in [100_000, 120_000] {
        let later = sale(&shop, price);
        invoicer.issue(&shop, &secrets, &provider, later).await.unwrap();
    }
    let (outcome, file) = restore_newest(&shop);
    std::fs::remove_file(file.parent().unwrap().join(&outcome.kept_copy)).unwrap();

    sim.set_list_page_size(Some(1));
    let report = reattach_after_restore(&shop, &secrets, &provider, &outcome).await.unwrap();
    let said = report.list_error.as_deref().expect("the cut day is said");
    assert!(said.contains("chỉ trả 1 trong 2 hóa đơn"), "{said}");
    let [given] = &report.not_attached[..] else { panic!("{report:?}") };
    assert!(given.reason.contains("xem trạng thái trên cổng"), "{}", given.reason);

    sim.set_list_page_size(None);
    let report = reattach_after_restore(&shop, &secrets, &provider, &outcome).await.unwrap();
    assert_eq!((report.not_attached.len(), report.list_error.as_deref()), (2, None), "{report:?}");
}

/// The provider's list out of reach: what the set-aside file names is still asked by key and
/// attached, and the report says the list could not be read; with the set-aside file lost
/// too, the re-attachment fails and says why, attaching nothing.
#[tokio::test]
async fn a_list_out_of_reach_still_attaches_what_the_set_aside_file_names() {
    use hoadon_sim_einvoice::{Faults, Knob};
    let Restorable { sim, _dir, secrets, shop, provider, invoicer } = restorable(ProviderChoice::Vnpt).await;
    let later = sale(&shop, 120_000);
    let taken = OffsetDateTime::now_utc() - Span::seconds(5);
    shop.lock().unwrap().back_up_now(taken, &BackupControl::new()).unwrap().unwrap();
    invoicer.issue(&shop, &secrets, &provider, later).await.unwrap();
    let (outcome, file) = restore_newest(&shop);

    sim.set_faults(Faults { server_error: Knob::times(100), only: vec!["listInvFromNoToNo".into()], ..Default::default() });
    let report = reattach_after_restore(&shop, &secrets, &provider, &outcome).await.unwrap();
    assert_eq!(report.attached.iter().map(|r| r.sale_id).collect::<Vec<_>>(), vec![later], "{report:?}");
    let said = report.list_error.expect("the list's failure is said");
    assert!(said.contains("danh sách hóa đơn"), "{said}");
    assert!(!report.source.contains("danh sách hóa đơn lập từ ngày"), "{}", report.source);

    // Undo the attachment by restoring again, then lose the set-aside file as well.
    let outcome = shop.lock().unwrap().restore_backup(&file, OffsetDateTime::now_utc()).unwrap();
    std::fs::remove_file(file.parent().unwrap().join(&outcome.kept_copy)).unwrap();
    let e = reattach_after_restore(&shop, &secrets, &provider, &outcome).await.unwrap_err();
    assert!(e.to_string().contains("danh sách hóa đơn"), "{e}");
    assert!(shop.lock().unwrap().store().live_invoice_of_sale(later).unwrap().is_none());
}

/// An invoice cancelled just before the copy (within the minute of margin the set-aside file
/// is read with) is in the copy already: nothing to attach and nothing to say about it.
#[tokio::test]
async fn an_invoice_the_copy_holds_cancelled_is_not_reported() {
    for choice in [ProviderChoice::Vnpt, ProviderChoice::Viettel] {
        let Restorable { sim: _sim, _dir, secrets, shop, provider, invoicer } = restorable(choice).await;
        let id = sale(&shop, 100_000);
        let issued = invoicer.issue(&shop, &secrets, &provider, id).await.unwrap();
        invoicer.cancel(&shop, &provider, issued.id, "Khách trả hàng").await.unwrap();
        shop.lock().unwrap().back_up_now(OffsetDateTime::now_utc(), &BackupControl::new()).unwrap().unwrap();
        let (outcome, _) = restore_newest(&shop);
        let report = reattach_after_restore(&shop, &secrets, &provider, &outcome).await.unwrap();
        assert!(report.asked >= 1, "the cancelled invoice's key is asked about: {report:?}");
        assert!(report.attached.is_empty() && report.not_attached.is_empty(), "{}: {report:?}", choice.code());
    }
}

/// An invoice row the copy holds without a number yet (sent just before the copy, its answer
/// not in), that the provider numbered after it: the restored shop's queue reconciles it by
/// key, so the re-attachment neither attaches it a second time nor tells the owner to
/// re-enter its sale. Viettel lists it only by its transaction id.
#[tokio::test]
async fn an_invoice_the_copy_holds_unnumbered_is_left_to_the_queue() {
    use hoadon_core::invoicing::{account::new_key, draft_for_invoice};
    use hoadon_core::store::{NewInvoice, Relation};
    for choice in ProviderChoice::ALL {
        let Restorable { sim, _dir, secrets, shop, provider, .. } = restorable(choice).await;
        let id = sale(&shop, 100_000);
        let settings = shop.lock().unwrap().invoice_settings(&secrets).unwrap();
        let draft = {
            let shop = shop.lock().unwrap();
            let row = shop
                .store()
                .create_invoice(&NewInvoice {
                    sale_id: id,
                    provider: choice.code().into(),
                    key: new_key(id).unwrap(),
                    template: settings.template.clone(),
                    symbol: settings.serial.clone(),
                    status: InvoiceStatus::Sending,
                    tax_authority_code: None,
                    replaces_id: None,
                    relation: Relation::Original,
                    account: Some(shop.invoice_account().unwrap()),
                })
                .unwrap();
            draft_for_invoice(&shop, &shop.store().sale(id).unwrap(), &row).unwrap()
        };
        // The copy is taken two minutes later than the row was made: the row is not among
        // what the set-aside file made since the copy (the minute of margin passed).
        let taken = OffsetDateTime::now_utc() + Span::minutes(2);
        shop.lock().unwrap().back_up_now(taken, &BackupControl::new()).unwrap().unwrap();
        hoadon_einvoice::Provider::issue(&provider, std::slice::from_ref(&draft)).await.unwrap();
        let (outcome, _) = restore_newest(&shop);

        let report = reattach_after_restore(&shop, &secrets, &provider, &outcome).await.unwrap();
        assert!(report.attached.is_empty() && report.not_attached.is_empty(), "{}: {report:?}", choice.code());
        let row = shop.lock().unwrap().store().live_invoice_of_sale(id).unwrap().unwrap();
        assert_eq!((row.status, row.number), (InvoiceStatus::Sending, None), "left for the queue to reconcile by its key");
        assert_eq!(sim.issued_count(), 1);
    }
}
