mod ui_support;

use ui_support::*;

#[test]
fn smoke_dashboard_80x24() {
    let app = app(80, 24);
    let buf = draw(&app, 80, 24);
    println!("{}", text(&buf));
    let app = app_with(&floor_ndjson(), 160, 48);
    let buf = draw(&app, 160, 48);
    println!("{}", text(&buf));
}
