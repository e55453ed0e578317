//! Demo data: funding of the first community (Justicia Penal y Mediación en Oaxaca): costs of its
//! events, cash and in-kind contributions of member organizations, the collective assets
//! register and a fundraising pipeline with five asks at different stages.

use chrono::{Duration, NaiveDate, Utc};
use tejido_core::funding::{AskInput, AssetInput, ContributionInput, CostInput, Currency, Money};
use tejido_db::funding as store;

use super::Ids;

/// Stages an ask reached after "prospect", each with how many days ago.
type StageHistory = &'static [(&'static str, i64)];

fn mxn(minor: i64) -> Money {
    Money::new(minor, Currency::Mxn)
}

pub async fn load(tx: &mut tejido_db::Tx, ids: &Ids<'_>) -> anyhow::Result<()> {
    let Some(&cid) = ids.communities.first() else {
        return Ok(());
    };
    let org = |i: usize| ids.orgs.get(i).copied();
    let person = |i: usize| ids.people.get(i).copied();
    // The leader's account (ACCOUNTS[1]) records everything.
    let by = ids.users.get(1).copied();
    let today = Utc::now().date_naive();
    let ago = |d: i64| today - Duration::days(d);

    let events = store::events_in_tx(tx, cid, 10).await?;
    let now = Utc::now();
    let held = events
        .iter()
        .find(|e| e.2 < now)
        .map(|e| (e.0, e.2.date_naive()));
    let next = events.iter().find(|e| e.2 >= now).map(|e| e.0);

    // ---- costs ----
    let (held_id, held_on) = match held {
        Some((id, on)) => (Some(id), on),
        None => (None, ago(40)),
    };
    let cost = |category: &str,
                description: &str,
                amount: Money,
                on: NaiveDate,
                event: Option<i64>,
                paid_by_org: Option<i64>,
                paid_by_text: Option<&str>| CostInput {
        category: category.into(),
        description: description.into(),
        amount,
        spent_on: on,
        event_id: event,
        paid_by_org,
        paid_by_text: paid_by_text.map(str::to_owned),
    };
    let convener = Some("Fondo de la convocante");
    let costs = [
        cost(
            "venue",
            "Renta del salón de la Casa de la Cultura (un día)",
            mxn(450_000),
            held_on,
            held_id,
            org(1),
            None,
        ),
        cost(
            "travel",
            "Autobuses y taxis colectivos de 22 participantes desde la Mixteca y el Istmo",
            mxn(1_238_050),
            held_on,
            held_id,
            None,
            convener,
        ),
        cost(
            "food",
            "Desayuno, comida y café para 38 personas",
            mxn(684_000),
            held_on,
            held_id,
            None,
            convener,
        ),
        cost(
            "materials",
            "Papelería, rotafolios e impresión de la guía de mediación",
            mxn(127_580),
            held_on - Duration::days(3),
            held_id,
            org(0),
            None,
        ),
        cost(
            "facilitation",
            "Facilitación e interpretación mixteco–español",
            mxn(800_000),
            held_on,
            held_id,
            None,
            convener,
        ),
        cost(
            "communication",
            "Diseño e impresión de la memoria gráfica del encuentro",
            mxn(95_000),
            held_on + Duration::days(10),
            held_id,
            org(2),
            None,
        ),
        cost(
            "venue",
            "Anticipo del aula para el taller de datos abiertos",
            mxn(200_000),
            ago(5),
            next,
            None,
            convener,
        ),
        cost(
            "communication",
            "Licencia anual de la herramienta de videollamadas",
            Money::new(14_990, Currency::Usd),
            ago(60),
            None,
            None,
            convener,
        ),
    ];
    for c in &costs {
        store::insert_cost(tx, cid, c, by).await?;
    }

    // ---- contributions ----
    let contribution = |o: Option<i64>,
                        kind: &str,
                        description: &str,
                        amount: Money,
                        on: NaiveDate,
                        event: Option<i64>| {
        o.map(|organization_id| ContributionInput {
            organization_id,
            kind: kind.into(),
            description: description.into(),
            amount,
            given_on: on,
            event_id: event,
        })
    };
    let contributions = [
        contribution(
            org(0),
            "cash",
            "Aportación anual acordada en la asamblea",
            mxn(1_000_000),
            ago(90),
            None,
        ),
        contribution(
            org(4),
            "cash",
            "Aportación para traslados de participantes del Istmo",
            mxn(2_500_000),
            ago(70),
            None,
        ),
        contribution(
            org(2),
            "cash",
            "Cuota solidaria para la memoria del encuentro",
            mxn(350_000),
            ago(45),
            held_id,
        ),
        contribution(
            org(1),
            "in-kind",
            "Préstamo de equipo de sonido y mobiliario para el encuentro",
            mxn(450_000),
            held_on,
            held_id,
        ),
        contribution(
            org(5),
            "in-kind",
            "Tiempo de dos investigadoras para analizar los datos de audiencias (40 horas)",
            mxn(1_800_000),
            ago(30),
            None,
        ),
        contribution(
            org(23),
            "in-kind",
            "Facilitación del taller de mediación sin cobro de honorarios",
            mxn(800_000),
            held_on,
            held_id,
        ),
        contribution(
            org(3),
            "in-kind",
            "Traducción al zapoteco del Istmo de los materiales",
            mxn(220_000),
            ago(20),
            None,
        ),
    ];
    for c in contributions.iter().flatten() {
        store::insert_contribution(tx, cid, c, by).await?;
    }

    // ---- collective assets ----
    let asset = |o: Option<i64>,
                 kind: &str,
                 description: &str,
                 value: Money,
                 availability: &str,
                 contact: &str| {
        o.map(|organization_id| AssetInput {
            organization_id,
            kind: kind.into(),
            description: description.into(),
            value,
            availability: Some(availability.into()),
            contact: Some(contact.into()),
        })
    };
    let assets = [
        asset(
            org(1),
            "space",
            "Sala de reuniones para 40 personas en Tlaxiaco, con cocina",
            mxn(450_000),
            "Un sábado al mes, con dos semanas de aviso",
            "Coordinación del Colectivo (Tlaxiaco)",
        ),
        asset(
            org(0),
            "staff-time",
            "Asesoría jurídica del equipo de litigio: 10 horas al mes",
            mxn(1_500_000),
            "Todo el año",
            "Área de litigio estratégico",
        ),
        asset(
            org(2),
            "equipment",
            "Proyector, dos laptops y servidor para datos judiciales",
            mxn(3_500_000),
            "Préstamo para eventos de la comunidad",
            "Responsable de tecnología de Justicia Cotidiana",
        ),
        asset(
            org(5),
            "expertise",
            "Análisis estadístico de audiencias y diseño de encuestas",
            mxn(2_400_000),
            "Un proyecto por semestre",
            "Coordinación del Observatorio",
        ),
        asset(
            org(4),
            "cash",
            "Fondo semilla para iniciativas conjuntas",
            mxn(5_000_000),
            "Convocatoria anual en marzo",
            "Dirección de programas de la Fundación",
        ),
        asset(
            org(3),
            "networks",
            "Red de defensoras comunitarias en 14 municipios del Istmo",
            mxn(1_200_000),
            "Por acuerdo con la asamblea de defensoras",
            "Enlace regional del Istmo",
        ),
        asset(
            org(24),
            "networks",
            "Contactos con agencias de cooperación y embajadas",
            mxn(1_000_000),
            "Presentaciones dos veces al año",
            "Oficina de enlace del Programa",
        ),
    ];
    for a in assets.iter().flatten() {
        store::insert_asset(tx, cid, a, by).await?;
    }

    // ---- fundraising pipeline ----
    let ask = |donor_org: Option<i64>,
               donor_text: Option<&str>,
               what: &str,
               amount: Money,
               next_step: &str,
               due: Option<NaiveDate>,
               owner: Option<i64>| AskInput {
        donor_org,
        donor_text: if donor_org.is_some() {
            None
        } else {
            donor_text.map(str::to_owned)
        },
        ask: what.into(),
        amount,
        stage: "prospect".into(),
        next_step: (!next_step.is_empty()).then(|| next_step.to_owned()),
        due_on: due,
        owner,
    };
    let leader = person(0);
    let coleader = person(3);
    // (ask, stages after "prospect" with how many days ago each was reached, first date)
    let pipeline: [(AskInput, StageHistory, i64); 5] = [
        (
            ask(org(21), Some("Fundación Conecta Comunidades"), "Sistematizar y publicar la metodología de mediación en lenguas indígenas", mxn(45_000_000), "Responder las preguntas del comité técnico", Some(today + Duration::days(12)), leader),
            &[("contacted", 110), ("proposal-sent", 75), ("under-review", 40)],
            140,
        ),
        (
            ask(None, Some("Fondo Canadá para Iniciativas Locales (Embajada de Canadá)"), "Encuentros regionales de defensoras comunitarias del Istmo", mxn(38_000_000), "Esperar el dictamen; enviar cartas de apoyo si las piden", Some(today + Duration::days(30)), coleader),
            &[("contacted", 60), ("proposal-sent", 20)],
            80,
        ),
        (
            ask(None, Some("Programa de Coinversión Social, Secretaría de Bienestar del Gobierno de Oaxaca"), "Formación en mediación para 60 facilitadoras comunitarias", mxn(20_000_000), "Firmar el convenio y abrir la cuenta exclusiva", Some(today + Duration::days(7)), leader),
            &[("contacted", 150), ("proposal-sent", 120), ("under-review", 90), ("awarded", 25)],
            170,
        ),
        (
            ask(None, Some("Cervecería del Istmo, programa de responsabilidad social"), "Patrocinio de alimentos para los encuentros trimestrales", mxn(12_000_000), "Reunión con el área de vinculación", Some(today + Duration::days(18)), coleader),
            &[("contacted", 8)],
            30,
        ),
        (
            ask(None, Some("Fundación Comunitaria Oaxaca"), "Plataforma de datos abiertos de audiencias penales", Money::new(1_500_000, Currency::Usd), "Revisar la convocatoria cuando se publique", None, leader),
            &[],
            10,
        ),
    ];
    for (a, stages, first) in &pipeline {
        let id = store::insert_ask(tx, cid, a, ago(*first), by).await?;
        for (stage, days) in stages.iter() {
            store::set_stage(tx, cid, id, stage, ago(*days), None, by).await?;
        }
    }
    Ok(())
}
