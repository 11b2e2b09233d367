//! Reads the worksheets of an .xlsx: shared strings, then each sheet's
//! cells as values (numbers parsed, strings resolved), as calamine's
//! `worksheet_range` does, minus the grid. Prints counts.
//!
//! `xlsx-rs FILE [PART...]`: every worksheet, or only the named sheet parts
//! (e.g. xl/worksheets/sheet4.xml) — the sheets the command compared with
//! reads, so neither side reads more than the other.
use quick_xml::events::Event;
use quick_xml::Reader;
use std::io::{BufReader, Read};

fn main() {
    let path = std::env::args().nth(1).expect("usage: xlsx-rs FILE.xlsx [PART...]");
    let only: Vec<String> = std::env::args().skip(2).collect();
    let file = std::fs::File::open(&path).expect("open");
    let mut zip = zip::ZipArchive::new(BufReader::new(file)).expect("zip");
    let mut strings: Vec<String> = Vec::new();
    if let Ok(f) = zip.by_name("xl/sharedStrings.xml") {
        let mut r = Reader::from_reader(BufReader::with_capacity(1 << 16, f));
        let mut buf = Vec::new();
        let mut cur = String::new();
        let mut in_t = false;
        loop {
            match r.read_event_into(&mut buf).expect("xml") {
                Event::Start(e) if e.local_name().as_ref() == b"si" => cur.clear(),
                Event::Start(e) if e.local_name().as_ref() == b"t" => in_t = true,
                Event::End(e) if e.local_name().as_ref() == b"t" => in_t = false,
                Event::Text(t) if in_t => cur.push_str(&t.unescape().expect("text")),
                Event::End(e) if e.local_name().as_ref() == b"si" => strings.push(cur.clone()),
                Event::Eof => break,
                _ => {}
            }
            buf.clear();
        }
    }
    let names: Vec<String> = zip.file_names().filter(|n| n.starts_with("xl/worksheets/sheet") && (only.is_empty() || only.iter().any(|o| o == n))).map(String::from).collect();
    let (mut rows, mut cells, mut text_bytes, mut sum) = (0u64, 0u64, 0u64, 0f64);
    for name in names {
        let mut f = zip.by_name(&name).expect("sheet");
        let mut xml = Vec::new();
        f.read_to_end(&mut xml).expect("inflate");
        let mut r = Reader::from_reader(&xml[..]);
        let mut buf = Vec::new();
        let (mut t_attr, mut in_v) = (Vec::new(), false);
        loop {
            match r.read_event_into(&mut buf).expect("xml") {
                Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == b"row" => rows += 1,
                Event::Start(e) if e.local_name().as_ref() == b"c" => {
                    t_attr.clear();
                    for a in e.attributes().flatten() {
                        if a.key.as_ref() == b"t" { t_attr.extend_from_slice(&a.value); }
                    }
                }
                Event::Start(e) if e.local_name().as_ref() == b"v" || e.local_name().as_ref() == b"t" => in_v = true,
                Event::End(e) if e.local_name().as_ref() == b"v" || e.local_name().as_ref() == b"t" => in_v = false,
                Event::Text(t) if in_v => {
                    cells += 1;
                    let v = t.unescape().expect("text");
                    if t_attr.as_slice() == b"s" {
                        let i: usize = v.parse().unwrap_or(0);
                        text_bytes += strings.get(i).map(|s| s.len()).unwrap_or(0) as u64;
                    } else if let Ok(x) = v.parse::<f64>() { sum += x; } else { text_bytes += v.len() as u64; }
                }
                Event::Eof => break,
                _ => {}
            }
            buf.clear();
        }
    }
    println!("{} rows, {} values, {} string bytes, checksum {}", rows, cells, text_bytes, sum);
}
