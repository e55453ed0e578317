//! Demo data: significant outcomes and joint projects of the first community (Justicia Penal y
//! Mediación en Oaxaca), in the style of the seed's Tables 1–3. Two joint efforts — a school
//! mediation project with a municipal government counterpart and a donor, and an alliance for
//! restorative justice — add their collaboration and alliance ties to the Local System map;
//! ten outcomes across the community's two themes name the organizations involved, link the
//! demo's events and the projects, and show every substantiation status.

use chrono::{Duration, NaiveDate, Utc};
use tejido_core::network::TieSource;
use tejido_core::outcomes::{ChangeKind, Link, OutcomeInput, SourceView, Substantiation};
use tejido_core::projects::{new_ties, ProjectInput, ProjectKind, ProjectStatus};

use super::Ids;

const JUSTICE: &str = "Innovación en el Sistema de Justicia Penal";
const MEDIATION: &str = "Mediación para la Resolución de Conflictos";

/// (theme, kind, description, significance, contribution, days ago, organization indexes,
/// substantiation, source, links)
type Demo = (
    &'static str,
    ChangeKind,
    &'static str,
    &'static str,
    &'static str,
    i64,
    &'static [usize],
    Substantiation,
    Option<(&'static str, SourceView)>,
    &'static [(&'static str, &'static str)],
);

const OUTCOMES: [Demo; 10] = [
    (
        MEDIATION,
        ChangeKind::Policies,
        "La Fiscalía General del Estado de Oaxaca adoptó un protocolo de mediación con enfoque de justicia restaurativa para delitos de querella en la región Mixteca, elaborado con el Colectivo Mediación Comunitaria Guelaguetza.",
        "Es el primer protocolo de la Fiscalía que reconoce la mediación comunitaria en lenguas indígenas; antes, estos casos se iban a juicio o se archivaban.",
        "El taller de mediación restaurativa que la comunidad impartió al personal del Centro de Justicia Alternativa, y el acompañamiento de la consultora Lucía Ramírez en la redacción.",
        150,
        &[1, 23, 4],
        Substantiation::Verified,
        Some(("Mtra. Elena Cruz Santiago, titular del Centro de Justicia Alternativa de la Fiscalía", SourceView::AgreesFully)),
        &[("https://example.org/fiscalia-oaxaca/protocolo-mediacion.pdf", "Protocolo publicado por la Fiscalía")],
    ),
    (
        JUSTICE,
        ChangeKind::Practices,
        "La Defensoría Pública del Estado de Oaxaca empezó a usar el tablero de monitoreo de audiencias de Justicia Cotidiana Oaxaca para priorizar a las personas en prisión preventiva oficiosa.",
        "Las defensoras y los defensores públicos revisan ahora cada semana los casos con más de un año sin sentencia.",
        "La comunidad presentó el tablero en su encuentro y el Observatorio Universitario acompañó la limpieza de los datos.",
        95,
        &[6, 2, 5],
        Substantiation::Substantiated,
        Some(("Lic. Ramón Pérez Aquino, coordinador de defensoría penal en Valles Centrales", SourceView::AgreesPartly)),
        &[("https://example.org/jco/tablero-audiencias", "Tablero de monitoreo de audiencias")],
    ),
    (
        JUSTICE,
        ChangeKind::Relationships,
        "Tierra Digna, Justicia Cotidiana Oaxaca y la Red de Defensoras del Istmo comparten por primera vez sus registros de casos de tortura y malos tratos con una metodología común.",
        "Con datos comparables pueden señalar inconsistencias en las cifras oficiales y sostener mejor sus argumentos ante el poder judicial.",
        "La comunidad facilitó tres sesiones para acordar las variables y un acuerdo de confidencialidad.",
        60,
        &[0, 2, 3],
        Substantiation::Claimed,
        None,
        &[],
    ),
    (
        JUSTICE,
        ChangeKind::Actions,
        "El Observatorio Universitario de Justicia Penal incorporó a su diplomado un módulo sobre acompañamiento a víctimas diseñado con el Centro de Derechos Humanos Tierra Digna.",
        "Cada generación forma a unas cuarenta personas servidoras públicas y litigantes.",
        "El intercambio de prácticas entre ambas organizaciones nació en una sesión de la comunidad.",
        210,
        &[5, 0],
        Substantiation::Verified,
        Some(("Dra. Patricia Hernández, coordinadora académica del diplomado", SourceView::AgreesFully)),
        &[("https://example.org/oujp/diplomado-2026", "Programa del diplomado")],
    ),
    (
        MEDIATION,
        ChangeKind::Practices,
        "El Colectivo Mediación Comunitaria Guelaguetza y la Red de Defensoras del Istmo adaptaron al zapoteco y al mixteco la guía de mediación comunitaria y la usan en seis comunidades.",
        "Las personas mediadoras pueden conducir los procesos en la lengua de las partes.",
        "La comunidad cubrió la revisión lingüística con aportaciones en especie de sus integrantes.",
        120,
        &[1, 3],
        Substantiation::Substantiated,
        Some(("Autoridades municipales de San Mateo del Mar", SourceView::AgreesFully)),
        &[],
    ),
    (
        MEDIATION,
        ChangeKind::Behavior,
        "Autoridades agrarias de tres comunidades de la Mixteca empezaron a canalizar conflictos por linderos a la mediación comunitaria en lugar de a la vía penal.",
        "Evita denuncias que escalaban en conflictos violentos entre comunidades vecinas.",
        "Las mediadoras formadas en la comunidad acompañaron las primeras asambleas.",
        45,
        &[1, 23],
        Substantiation::Claimed,
        None,
        &[],
    ),
    (
        JUSTICE,
        ChangeKind::Policies,
        "La comisión de justicia del Congreso de Oaxaca incorporó a la iniciativa de reforma de la ley estatal de víctimas tres propuestas de la mesa técnica convocada por la comunidad.",
        "Las propuestas garantizan asesoría jurídica gratuita a víctimas en lenguas indígenas.",
        "La comunidad convocó la mesa técnica y redactó las propuestas con el apoyo del Programa de Cooperación para el Estado de Derecho.",
        30,
        &[0, 3, 24],
        Substantiation::Claimed,
        None,
        &[("https://example.org/congreso-oaxaca/iniciativa-victimas", "Iniciativa en la gaceta parlamentaria")],
    ),
    (
        MEDIATION,
        ChangeKind::Relationships,
        "La Dirección Municipal de Prevención Social de la Violencia de Oaxaca de Juárez firmó un convenio con el Colectivo Mediación Comunitaria Guelaguetza para llevar la mediación escolar a doce secundarias.",
        "Es la primera vez que el municipio trabaja con una organización de la comunidad en prevención.",
        "El proyecto conjunto de mediación escolar se diseñó en la comunidad; Fundación Puentes para la Paz facilitó el diálogo con el municipio.",
        80,
        &[7, 1, 4],
        Substantiation::Verified,
        Some(("Mtro. Jorge Méndez, director municipal de Prevención Social", SourceView::AgreesFully)),
        &[("https://example.org/oaxaca-de-juarez/convenio-mediacion-escolar.pdf", "Convenio firmado")],
    ),
    (
        JUSTICE,
        ChangeKind::Practices,
        "El Programa de Cooperación para el Estado de Derecho financió la réplica del monitoreo de audiencias de Justicia Cotidiana Oaxaca en Chiapas.",
        "La metodología de una organización local se usa ahora en otro estado.",
        "El programa conoció la metodología en el encuentro de la comunidad.",
        20,
        &[24, 2],
        Substantiation::Substantiated,
        Some(("Oficial de programa del PCED en México", SourceView::AgreesPartly)),
        &[],
    ),
    (
        MEDIATION,
        ChangeKind::Actions,
        "Fundación Puentes para la Paz abrió una convocatoria de fondos semilla para proyectos conjuntos de mediación entre organizaciones de la comunidad.",
        "Reconoce el trabajo en alianza como requisito y no solo como recomendación.",
        "La comunidad documentó sus proyectos conjuntos y compartió los aprendizajes con la fundación.",
        10,
        &[4, 1, 3],
        Substantiation::Claimed,
        None,
        &[],
    ),
];

pub async fn load(tx: &mut tejido_db::Tx, ids: &Ids<'_>) -> anyhow::Result<()> {
    let Some(&cid) = ids.communities.first() else {
        return Ok(());
    };
    let org = |i: usize| ids.orgs.get(i).copied();
    let orgs = |is: &[usize]| -> Vec<i64> { is.iter().filter_map(|i| org(*i)).collect() };
    // The leader's account (ACCOUNTS[1]) records everything.
    let by = ids.users.get(1).copied();
    let today = Utc::now().date_naive();
    let ago = |d: i64| today - Duration::days(d);

    // ---- joint projects and alliances ----
    let school = ProjectInput {
        title: "Mediación escolar en secundarias de Oaxaca de Juárez".into(),
        kind: ProjectKind::JointProject,
        theme: Some(MEDIATION.into()),
        states: vec!["20".into()],
        municipality: Some("Oaxaca de Juárez".into()),
        status: ProjectStatus::UnderWay,
        starts_on: Some(ago(200)),
        ends_on: Some(ago(200) + Duration::days(540)),
        description: Some("Formar a docentes y estudiantes como mediadores de pares en doce secundarias, con el municipio como contraparte y un fondo semilla para materiales en lenguas indígenas.".into()),
        members: orgs(&[1, 3, 4]),
        add_ties: true,
    };
    let alliance = ProjectInput {
        title: "Alianza por la justicia restaurativa en Oaxaca".into(),
        kind: ProjectKind::Alliance,
        theme: Some(JUSTICE.into()),
        states: vec!["20".into(), "07".into()],
        municipality: None,
        status: ProjectStatus::Design,
        starts_on: Some(ago(60)),
        ends_on: None,
        description: Some("Organizaciones de la comunidad, la academia y la Defensoría Pública acuerdan una agenda común para que la justicia restaurativa llegue a las audiencias penales.".into()),
        members: orgs(&[0, 2, 5, 6]),
        add_ties: true,
    };
    let mut projects = Vec::new();
    let mut project_ties = Vec::new();
    for (p, partners) in [
        (
            &school,
            vec![
                (
                    org(7),
                    "Contraparte de gobierno: abre las escuelas y forma a las y los orientadores",
                ),
                (
                    org(21),
                    "Financiamiento del piloto y de los materiales en zapoteco y mixteco",
                ),
            ],
        ),
        (
            &alliance,
            vec![(
                org(24),
                "Asistencia técnica y financiamiento de la réplica en Chiapas",
            )],
        ),
    ] {
        let id = tejido_db::projects::insert(tx, cid, p, by).await?;
        for (o, role) in partners {
            if let Some(o) = o {
                tejido_db::projects::add_partner(tx, id, o, role).await?;
            }
        }
        // The ties the map lacks between every pair of the project's organizations.
        let all = tejido_db::projects::organization_ids(tx, id).await?;
        let kind = p.kind.tie_kind();
        let on = p.starts_on.unwrap_or(today).min(today);
        let existing = tejido_db::projects::tied_pairs(tx, cid, kind.as_str(), &all, on).await?;
        let ties = new_ties(&[], &all, kind, &existing, on);
        let tie_ids =
            tejido_db::network::insert_ties(tx, cid, &ties, TieSource::JointProject, None, by)
                .await?;
        projects.push(id);
        // Each tie with its pair, to link the one an outcome is about.
        project_ties.push(
            ties.iter()
                .zip(tie_ids)
                .map(|(t, id)| (t.from, t.to, id))
                .collect::<Vec<_>>(),
        );
    }

    // ---- outcomes ----
    let events = tejido_db::outcomes::events_in_tx(tx, cid, 20).await?;
    let now = Utc::now();
    let held: Vec<i64> = events
        .iter()
        .filter(|(_, at)| *at < now)
        .map(|(id, _)| *id)
        .collect();
    for (
        i,
        (theme, kind, description, significance, contribution, days, who, subst, source, links),
    ) in OUTCOMES.iter().enumerate()
    {
        let happened_on: NaiveDate = ago(*days);
        // What contributed: the held events to the outcomes that followed the encounter, the
        // school project (and one of its ties) to the municipal agreement, the alliance to the
        // justice outcomes of the last two months.
        let event_ids: Vec<i64> = if matches!(i, 0 | 1 | 8) {
            held.iter().take(1).copied().collect()
        } else {
            vec![]
        };
        let (project_ids, tie_ids) = match i {
            7 => (
                projects.first().copied().into_iter().collect(),
                // The tie between the municipality and the mediation collective.
                project_ties
                    .first()
                    .and_then(|ts| {
                        ts.iter()
                            .find(|(a, b, _)| {
                                [org(7), org(1)].contains(&Some(*a))
                                    && [org(7), org(1)].contains(&Some(*b))
                            })
                            .map(|t| t.2)
                    })
                    .into_iter()
                    .collect(),
            ),
            2 | 6 => (projects.get(1).copied().into_iter().collect(), vec![]),
            _ => (vec![], vec![]),
        };
        let input = OutcomeInput {
            description: (*description).into(),
            change_kind: *kind,
            significance: (*significance).into(),
            contribution: (*contribution).into(),
            theme: (*theme).into(),
            happened_on,
            organizations: orgs(who),
            links: links
                .iter()
                .map(|(url, label)| Link {
                    url: (*url).into(),
                    label: Some((*label).into()),
                })
                .collect(),
            substantiation: *subst,
            source_name: source.map(|(n, _)| n.to_owned()),
            source_view: source.map(|(_, v)| v),
            events: event_ids,
            projects: project_ids,
            ties: tie_ids,
        };
        tejido_db::outcomes::insert(tx, cid, &input, by).await?;
    }
    Ok(())
}
