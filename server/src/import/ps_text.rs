//! Heroku CLI text as people paste it: `heroku ps`, `heroku ps:type`, `heroku ps:scale`.
//! Whitespace-tolerant, and both the v7/v8 and v10/v11 layouts.

use super::build::Builder;
use super::formation::{add_process, heroku_process};
use super::{costed, warning, Context, ImportError};
use tco_engine::Workloads;

/// A `heroku ps` group header: `=== TYPE (SIZE): COMMAND (COUNT)` → (type, size, command, count).
pub fn parse_group_header(line: &str) -> Option<(&str, &str, &str, u32)> {
    let rest = line.trim().strip_prefix("=== ")?;
    let (process_type, rest) = rest.split_once(" (")?;
    let (size, rest) = rest.split_once("): ")?;
    let open = rest.rfind(" (")?;
    let command = &rest[..open];
    let count = rest[open + 2..].strip_suffix(')')?.trim().parse().ok()?;
    if process_type.is_empty() || process_type.contains(' ') || size.is_empty() {
        return None;
    }
    Some((process_type, size, command, count))
}

/// `heroku ps` text: one process per group header, the count from the header.
pub fn import_ps(file: &str, text: &str, ctx: Context<'_>) -> Result<Workloads, ImportError> {
    let app = ctx.app_for(file);
    let mut w = Builder::default();
    for (i, line) in text.lines().enumerate() {
        let line_no = i as u64 + 1;
        let trimmed = line.trim();
        if trimmed.starts_with("=== run: one-off processes") {
            w.w.warnings.push(warning(file, Some(line_no), "one-off dynos are not recurring processes; not counted"));
            continue;
        }
        if !trimmed.starts_with("=== ") {
            continue;
        }
        let Some((process_type, size, command, count)) = parse_group_header(trimmed) else {
            w.w.warnings.push(warning(file, Some(line_no), format!("skipped: not a process header: {trimmed}")));
            continue;
        };
        let mut p = heroku_process(process_type, size, count, ctx, file, Some(line_no), &app, &mut w.w.warnings)
            .map_err(|m| ImportError::at(file, Some(line_no), Some("size".into()), m))?;
        p.command = Some(command.to_string());
        add_process(&mut w, file, &app, "heroku-ps", p, &format!("line {line_no}"));
    }
    if w.w.apps.is_empty() {
        return Err(ImportError::at(file, None, None, "no `=== type (size): command (count)` headers found"));
    }
    Ok(costed(w.w))
}

/// `heroku ps:type` text: the rows of the first table (type, size, qty, ...).
pub fn import_ps_type(file: &str, text: &str, ctx: Context<'_>) -> Result<Workloads, ImportError> {
    let app = ctx.app_for(file);
    let mut w = Builder::default();
    let mut in_table = false;
    let mut columns: Option<(usize, usize, usize)> = None;
    for (i, line) in text.lines().enumerate() {
        let line_no = i as u64 + 1;
        let trimmed = line.trim();
        if trimmed.starts_with("===") {
            in_table = trimmed.contains("Process Types") || trimmed.contains("Dyno Types");
            columns = None;
            continue;
        }
        if !in_table || trimmed.is_empty() || trimmed.chars().all(|c| c == '─' || c == '-' || c.is_whitespace()) {
            continue;
        }
        let cells: Vec<&str> = trimmed.split_whitespace().collect();
        let Some((t, s, q)) = columns else {
            let lower: Vec<String> = cells.iter().map(|c| c.to_ascii_lowercase()).collect();
            let find = |name: &str| lower.iter().position(|c| c == name);
            match (find("type"), find("size"), find("qty")) {
                (Some(t), Some(s), Some(q)) => columns = Some((t, s, q)),
                _ => {
                    return Err(ImportError::at(file, Some(line_no), None, "expected a header with type, size and qty"))
                }
            }
            continue;
        };
        let (Some(process_type), Some(size), Some(qty)) = (cells.get(t), cells.get(s), cells.get(q)) else {
            w.w.warnings.push(warning(file, Some(line_no), format!("skipped: too few columns: {trimmed}")));
            continue;
        };
        let quantity: u32 = qty.parse().map_err(|_| {
            ImportError::at(file, Some(line_no), Some("qty".into()), format!("`{qty}` is not a dyno count"))
        })?;
        let p = heroku_process(process_type, size, quantity, ctx, file, Some(line_no), &app, &mut w.w.warnings)
            .map_err(|m| ImportError::at(file, Some(line_no), Some("size".into()), m))?;
        add_process(&mut w, file, &app, "heroku-ps-type", p, &format!("line {line_no}"));
    }
    if w.w.apps.is_empty() {
        return Err(ImportError::at(file, None, None, "no process rows found under `=== Process Types`"));
    }
    Ok(costed(w.w))
}

/// Whether a line is `heroku ps:scale` output: `type=count:size` tokens.
pub fn looks_like_ps_scale(line: &str) -> bool {
    let tokens: Vec<&str> = line.split_whitespace().collect();
    !tokens.is_empty() && tokens.iter().all(|t| parse_scale_token(t).is_some())
}

fn parse_scale_token(token: &str) -> Option<(&str, u32, &str)> {
    let (process_type, rest) = token.split_once('=')?;
    let (count, size) = rest.split_once(':')?;
    Some((process_type, count.parse().ok()?, size))
}

/// `heroku ps:scale` with no arguments: `web=1:Standard-1X worker=2:Standard-2X`.
pub fn import_ps_scale(file: &str, text: &str, ctx: Context<'_>) -> Result<Workloads, ImportError> {
    let app = ctx.app_for(file);
    let mut w = Builder::default();
    for (i, line) in text.lines().enumerate() {
        let line_no = i as u64 + 1;
        for token in line.split_whitespace() {
            let (process_type, count, size) = parse_scale_token(token).ok_or_else(|| {
                ImportError::at(file, Some(line_no), None, format!("`{token}` is not `type=count:size`"))
            })?;
            let p = heroku_process(process_type, size, count, ctx, file, Some(line_no), &app, &mut w.w.warnings)
                .map_err(|m| ImportError::at(file, Some(line_no), Some(process_type.into()), m))?;
            add_process(&mut w, file, &app, "heroku-ps-scale", p, &format!("line {line_no}"));
        }
    }
    Ok(costed(w.w))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tco_engine::Assumptions;

    fn ctx(a: &Assumptions) -> Context<'_> {
        Context { app: Some("shop"), ..Context::new(tco_pricing_data::embedded(), a) }
    }

    #[test]
    fn heroku_ps_v11_with_blank_lines_and_one_offs() {
        let text = "=== run: one-off processes (1)\n\nrun.1 (Eco): up 2026/08/04 11:00:00 +0000 (~ 1h ago): bash\n\n\
                    === web (Standard-2X): bundle exec puma -C config/puma.rb (2)\n\n\
                    web.1: up 2024/05/16 10:13:20 +0000 (~ 1h ago)\nweb.2: up 2024/05/16 10:13:21 +0000 (~ 1h ago)\n\n\
                    === worker (Performance-M): bundle exec sidekiq (1)\nworker.1: crashed 2024/05/16 10:13:22 +0000 (~ 1h ago)\n";
        let a = Assumptions::default();
        let w = import_ps("ps.txt", text, ctx(&a)).unwrap();
        let p: Vec<(&str, u32, &str)> =
            w.apps[0].processes.iter().map(|p| (p.name.as_str(), p.replicas, p.size.as_deref().unwrap())).collect();
        assert_eq!(p, vec![("web", 2, "Standard-2X"), ("worker", 1, "Performance-M")]);
        assert_eq!(w.apps[0].name, "shop");
        assert_eq!(w.apps[0].processes[0].command.as_deref(), Some("bundle exec puma -C config/puma.rb"));
        assert_eq!(w.apps[0].processes[0].origin.as_ref().unwrap().line, Some(5));
        // 2 × $50 + $250 = $350
        assert_eq!(w.current_monthly_usd.cents(), 35_000);
        assert!(w.warnings[0].message.contains("one-off"));
    }

    #[test]
    fn commands_with_parentheses_keep_them() {
        assert_eq!(
            parse_group_header("=== web (1X): node -e \"f(1)\" (3)"),
            Some(("web", "1X", "node -e \"f(1)\"", 3))
        );
    }

    #[test]
    fn heroku_ps_type_current_and_old_layouts() {
        let a = Assumptions::default();
        let v11 = "=== Process Types\n\n type     size          qty   cost/hour   max cost/month\n\
                   ─────────────────────────────────────────────────────────\n web      Standard-1X   1     ~$0.035     $25\n\
                   worker   Standard-2X   2     ~$0.139     $100\n\n=== Dyno Totals\n type          total\n────\n Standard-1X   1\n";
        let w = import_ps_type("t.txt", v11, ctx(&a)).unwrap();
        assert_eq!(w.apps[0].processes.len(), 2);
        assert_eq!(w.current_monthly_usd.cents(), 12_500);
        let v7 = "=== Dyno Types\ntype    size         qty  cost/mo\n──────  ───────────  ───  ───────\nweb     Standard-1X  1    $25\n\
                  worker  Standard-2X  2    $100\n=== Dyno Totals\ntype         total\n";
        let w7 = import_ps_type("t.txt", v7, ctx(&a)).unwrap();
        assert_eq!(w7.current_monthly_usd, w.current_monthly_usd);
        let v10 = "=== Process Types\n Type Size Qty Cost/hour Max cost/month\n web Basic 1 ~$0.010 $7\n";
        assert_eq!(import_ps_type("t.txt", v10, ctx(&a)).unwrap().current_monthly_usd.cents(), 700);
    }

    #[test]
    fn heroku_ps_scale() {
        let a = Assumptions::default();
        let w = import_ps_scale("s.txt", "web=3:Standard-2X worker=1:Performance-L\n", ctx(&a)).unwrap();
        assert_eq!(w.current_monthly_usd.cents(), 65_000);
        let err = import_ps_scale("s.txt", "web=3:Standard-2X worker=x:Basic", ctx(&a)).unwrap_err();
        assert!(err.message.contains("worker=x:Basic"));
    }

    #[test]
    fn an_unknown_size_in_text_names_the_line() {
        let a = Assumptions::default();
        let err = import_ps("ps.txt", "\n=== web (Mega-1X): puma (2)\n", ctx(&a)).unwrap_err();
        assert_eq!(err.line, Some(2));
        assert!(err.message.contains("Mega-1X"));
    }
}
