//! Demo data: sustainability. Two self-assessment rounds in the first community (a year ago and
//! the current one, still open) rated by five members each, showing progress on every dimension,
//! funding still the weakest and a disagreement on diversified funding; two action items made
//! from gaps (one done a year ago, one open now).

use chrono::Duration;
use tejido_core::assessments::ResponseInput;
use tejido_core::sustainability::{ActionInput, INSTRUMENT, KEY};
use tejido_db::assessments::{insert_round, save_responses, NewRound};

use super::Ids;

/// Ratings per person index (into the demo people), in the instrument's item order:
/// management (4), funding (4), processes (4), culture (6).
type Ratings = (usize, [i64; 18]);

const YEAR_AGO: [Ratings; 5] = [
    (0, [2, 2, 1, 1, 1, 0, 0, 0, 2, 1, 1, 1, 1, 2, 2, 1, 2, 1]),
    (3, [1, 2, 1, 1, 0, 0, 0, 1, 1, 1, 0, 1, 1, 2, 1, 1, 1, 2]),
    (6, [2, 1, 1, 2, 1, 1, 0, 0, 2, 1, 1, 1, 2, 2, 2, 1, 2, 2]),
    (9, [1, 1, 0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 1, 1, 2, 1, 1, 1]),
    (15, [2, 2, 1, 1, 3, 0, 1, 0, 1, 1, 1, 1, 1, 3, 2, 2, 1, 1]),
];

const RECENT: [Ratings; 5] = [
    (0, [3, 3, 3, 2, 2, 1, 1, 2, 3, 2, 2, 2, 3, 3, 3, 3, 3, 2]),
    (1, [3, 4, 2, 2, 2, 1, 1, 1, 3, 2, 1, 2, 2, 3, 3, 3, 2, 3]),
    (3, [3, 3, 2, 3, 1, 0, 1, 2, 2, 2, 2, 3, 3, 4, 3, 2, 3, 3]),
    (9, [2, 3, 2, 2, 2, 3, 0, 2, 3, 1, 2, 2, 2, 3, 2, 2, 2, 2]),
    (15, [3, 3, 2, 3, 3, 0, 1, 2, 4, 2, 2, 2, 3, 3, 3, 3, 3, 3]),
];

/// (person index, item key, evidence, note) for the recent round.
const EVIDENCE: [(usize, &str, &str, &str); 7] = [
    (0, "ms-2", "La carta de la comunidad con misión y visión se adoptó en la sesión de marzo (registro de acuerdos).", ""),
    (1, "ms-2", "Carta de la comunidad publicada en Tejido.", "Falta difundirla entre el personal nuevo de las organizaciones."),
    (3, "fu-2", "No hay plan de procuración; solo la donación de la fundación convocante.", "Es nuestra mayor brecha."),
    (9, "fu-2", "Dos organizaciones ya presentaron juntas una propuesta a un fondo estatal.", "Yo lo veo más avanzado de lo que dicen los demás: hablemos de qué cuenta como plan."),
    (15, "pr-1", "Las agendas se construyen con propuestas de tema y votación por puntos desde hace tres encuentros.", ""),
    (0, "cu-2", "Las reglas de convivencia se repasan al inicio de cada encuentro.", ""),
    (3, "fu-4", "Iniciamos el registro de activos colectivos: salas, equipo de video y personas mediadoras certificadas.", ""),
];

fn answers(values: &[i64; 18], evidence: &[(&str, &str, &str)]) -> Vec<ResponseInput> {
    INSTRUMENT
        .items()
        .zip(values)
        .map(|(item, &v)| {
            let e = evidence.iter().find(|(k, _, _)| *k == item.key);
            let text = |s: &str| (!s.is_empty()).then(|| s.to_owned());
            ResponseInput {
                item: item.key,
                value: Some(v),
                evidence: e.and_then(|(_, ev, _)| text(ev)),
                note: e.and_then(|(_, _, n)| text(n)),
            }
        })
        .collect()
}

pub async fn load(tx: &mut tejido_db::Tx, ids: &Ids<'_>) -> anyhow::Result<()> {
    let cid = ids.communities[0];
    let leader = ids.users.get(1).copied();
    let today = tejido_db::now().date_naive();
    let past = insert_round(
        tx,
        cid,
        &NewRound {
            instrument: KEY,
            version: INSTRUMENT.version,
            title: "Autodiagnóstico de sostenibilidad, primera ronda",
            opens_on: today - Duration::days(380),
            closes_on: today - Duration::days(366),
        },
        leader,
    )
    .await?;
    for (p, values) in &YEAR_AGO {
        save_responses(tx, past, ids.people[*p], &answers(values, &[])).await?;
    }
    let recent = insert_round(
        tx,
        cid,
        &NewRound {
            instrument: KEY,
            version: INSTRUMENT.version,
            title: "Autodiagnóstico de sostenibilidad, segunda ronda",
            opens_on: today - Duration::days(10),
            closes_on: today + Duration::days(20),
        },
        leader,
    )
    .await?;
    for (p, values) in &RECENT {
        let ev: Vec<(&str, &str, &str)> = EVIDENCE
            .iter()
            .filter(|(who, _, _, _)| who == p)
            .map(|(_, k, e, n)| (*k, *e, *n))
            .collect();
        save_responses(tx, recent, ids.people[*p], &answers(values, &ev)).await?;
    }
    // A gap of the first round, closed since; and the current round's weakest criterion.
    let done = tejido_db::sustainability::insert_action(
        tx,
        cid,
        past,
        &ActionInput {
            item: "ms-3",
            title: "Redactar y acordar las reglas de convivencia y de rendición de cuentas".into(),
            owner_person_id: ids.people[0],
            due_on: today - Duration::days(300),
        },
        leader,
    )
    .await?;
    tejido_db::sustainability::set_action_status(tx, done, "done").await?;
    tejido_db::sustainability::insert_action(
        tx,
        cid,
        recent,
        &ActionInput {
            item: "fu-2",
            title:
                "Elaborar un plan de procuración de fondos con al menos tres donantes identificados"
                    .into(),
            owner_person_id: ids.people[3],
            due_on: today + Duration::days(75),
        },
        leader,
    )
    .await?;
    Ok(())
}
