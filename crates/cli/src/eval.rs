//! `referee eval`: cross-validated quality of training on the given data,
//! or of a fixed model on a labelled file.

use std::process::ExitCode;

use anyhow::Context;
use referee_train::{
    assemble, assign_folds, evaluate_model, read_rows, write_rows, EvalReport, ParamGuard,
    Synthesis, TrainParams,
};

use crate::args::EvalArgs;
use crate::train::{fit, parse_corpora, progress_bar, read_corpora, read_hand, report_to};

pub fn run(args: &EvalArgs) -> anyhow::Result<ExitCode> {
    let report = match (&args.model, &args.data) {
        (Some(model), Some(data)) => {
            let model = crate::model::load_default_or(Some(model))?;
            let rows =
                read_rows(data).with_context(|| format!("cannot read {}", data.display()))?;
            evaluate_model(&model, &rows)
        }
        _ => cross_validate(args)?,
    };
    if let Some(dir) = &args.plots {
        let written = report
            .write_plots(dir)
            .with_context(|| format!("cannot write plots to {}", dir.display()))?;
        eprintln!(
            "referee: wrote {} plots to {}",
            written.len(),
            dir.display()
        );
    }
    if args.json {
        println!("{}", report.to_json());
    } else {
        print!("{report}");
    }
    Ok(ExitCode::SUCCESS)
}

fn cross_validate(args: &EvalArgs) -> anyhow::Result<EvalReport> {
    let corpora = parse_corpora(&args.training.corpus)?;
    let bar = progress_bar();
    let progress = report_to(&bar);
    let prior = if corpora.is_empty() {
        Some(crate::model::load_default_or(None)?)
    } else {
        None
    };
    let hand = read_hand(
        &args.training.labels,
        &args.training.threads,
        prior.is_some(),
    )?;
    let read = read_corpora(
        &corpora,
        &args.training.sample,
        args.training.seed,
        &progress,
    )?;
    let synthesis = Synthesis {
        seed: args.training.seed,
        transplants: !args.no_transplants,
        ..Synthesis::default()
    };
    let (data, sources) = assemble(
        hand,
        &args.training.labels.display().to_string(),
        read,
        synthesis,
    );
    let params = TrainParams::new()
        .folds(args.folds)
        .seed(args.training.seed)
        .check()?;
    if let Some(path) = &args.folds_out {
        let folds = assign_folds(&data, params.folds(), args.training.seed);
        let n = write_rows(path, &data, &folds)
            .with_context(|| format!("cannot write {}", path.display()))?;
        eprintln!(
            "referee: wrote {n} rows with their folds to {}",
            path.display()
        );
    }
    let trained = fit(&data, &params, prior.as_ref(), sources, &bar)?;
    Ok(trained.report)
}
