//! The demo dataset: three learning communities of Mexican civil-society organizations, in
//! Spanish, with people, members and roles — enough to try every screen. Loaded in one
//! transaction, only into an empty database. Accounts use example.org addresses; their shared
//! password comes from TEJIDO_DEMO_PASSWORD or is generated and printed once.

use rand::Rng;
use tejido_core::charter::CharterForm;
use tejido_core::communities::{CommunityInput, Role, Visibility};
use tejido_core::decisions::{DecisionInput, Method, Source};
use tejido_core::directory::{OrgKind, OrganizationInput, PersonInput, PositionLevel};
use tejido_core::governance::{GoalInput, Horizon, ObjectiveInput, ObjectiveStatus};
use tejido_db::Db;

pub fn random_hex(bytes: usize) -> String {
    let mut rng = rand::rngs::OsRng;
    (0..bytes)
        .map(|_| format!("{:02x}", rng.gen::<u8>()))
        .collect()
}

/// 16 characters from an alphabet without look-alikes (no 0/O, 1/l/I).
pub fn random_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rngs::OsRng;
    (0..16)
        .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
        .collect()
}

/// (name, acronym, kind, state code, municipality, themes, expertise, needs)
type Org = (
    &'static str,
    &'static str,
    OrgKind,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

pub const ORGANIZATIONS: [Org; 25] = [
    (
        "Centro de Derechos Humanos Tierra Digna",
        "CDHTD",
        OrgKind::Cso,
        "20",
        "Oaxaca de Juárez",
        "Innovación en el Sistema de Justicia Penal, Derechos humanos",
        "Acompañamiento legal a víctimas; litigio estratégico",
        "Sistematizar nuestra metodología de acompañamiento",
    ),
    (
        "Colectivo Mediación Comunitaria Guelaguetza",
        "CMCG",
        OrgKind::Cso,
        "20",
        "Heroica Ciudad de Tlaxiaco",
        "Mediación para la Resolución de Conflictos",
        "Mediación comunitaria en lenguas indígenas",
        "Formación en evaluación de resultados",
    ),
    (
        "Justicia Cotidiana Oaxaca",
        "JCO",
        OrgKind::Cso,
        "20",
        "Oaxaca de Juárez",
        "Innovación en el Sistema de Justicia Penal, Tecnología para el Cambio Social",
        "Monitoreo de audiencias; datos judiciales",
        "Alianzas con academia para análisis de datos",
    ),
    (
        "Red de Defensoras Comunitarias del Istmo",
        "REDCI",
        OrgKind::Cso,
        "20",
        "Juchitán de Zaragoza",
        "Derechos humanos, Prevención secundaria y terciaria de la violencia",
        "Redes de defensoras; protección comunitaria",
        "Financiamiento para seguridad digital",
    ),
    (
        "Fundación Puentes para la Paz",
        "FPP",
        OrgKind::Iso,
        "09",
        "Cuauhtémoc",
        "Fortalecimiento institucional, Comunidades de aprendizaje",
        "Facilitación; fortalecimiento de capacidades",
        "Medir la sostenibilidad de las comunidades que acompaña",
    ),
    (
        "Observatorio Universitario de Justicia Penal",
        "OUJP",
        OrgKind::Academia,
        "20",
        "Santa Cruz Xoxocotlán",
        "Innovación en el Sistema de Justicia Penal",
        "Investigación aplicada; evaluación de políticas",
        "Vinculación con organizaciones de base",
    ),
    (
        "Defensoría Pública del Estado de Oaxaca",
        "DPEO",
        OrgKind::Government,
        "20",
        "Oaxaca de Juárez",
        "Innovación en el Sistema de Justicia Penal",
        "Defensa pública; capacitación a defensores",
        "Canales de referencia con OSC",
    ),
    (
        "Dirección Municipal de Prevención Social de la Violencia",
        "DMPSV",
        OrgKind::Government,
        "08",
        "Juárez",
        "Prevención secundaria y terciaria de la violencia",
        "Programas municipales de prevención",
        "Datos comunitarios para focalizar",
    ),
    (
        "Jóvenes Constructores de Paz",
        "JCP",
        OrgKind::Cso,
        "08",
        "Juárez",
        "Prevención secundaria y terciaria de la violencia, Juventudes",
        "Mentoría entre pares para jóvenes en riesgo",
        "Modelos de reinserción laboral",
    ),
    (
        "Centro Comunitario Colonias Unidas",
        "CCCU",
        OrgKind::Cso,
        "08",
        "Chihuahua",
        "Prevención secundaria y terciaria de la violencia",
        "Espacios seguros comunitarios",
        "Capacitación en mediación",
    ),
    (
        "Mujeres del Desierto por la Seguridad",
        "MDS",
        OrgKind::Cso,
        "26",
        "Hermosillo",
        "Prevención secundaria y terciaria de la violencia, Género",
        "Prevención de violencia de género",
        "Evaluación de impacto",
    ),
    (
        "Observatorio Ciudadano de Seguridad de Nuevo León",
        "OCSNL",
        OrgKind::Cso,
        "19",
        "Monterrey",
        "Prevención secundaria y terciaria de la violencia, Tecnología para el Cambio Social",
        "Indicadores de seguridad; tableros de datos",
        "Traducir datos para comunidades",
    ),
    (
        "Reinserción Social con Dignidad",
        "RSD",
        OrgKind::Cso,
        "19",
        "Monterrey",
        "Prevención secundaria y terciaria de la violencia",
        "Reinserción de personas privadas de la libertad",
        "Vínculos con empresas empleadoras",
    ),
    (
        "Consejo Empresarial por la Paz del Norte",
        "CEPN",
        OrgKind::PrivateSector,
        "19",
        "San Pedro Garza García",
        "Prevención secundaria y terciaria de la violencia",
        "Empleabilidad; voluntariado corporativo",
        "Conocer a las OSC del territorio",
    ),
    (
        "Coalición Coahuilense contra la Violencia Juvenil",
        "CCVJ",
        OrgKind::Cso,
        "05",
        "Saltillo",
        "Prevención secundaria y terciaria de la violencia, Juventudes",
        "Trabajo en escuelas; deporte para la paz",
        "Metodologías de evaluación",
    ),
    (
        "Fondo Comunitario Norte Solidario",
        "FCNS",
        OrgKind::Donor,
        "19",
        "Monterrey",
        "Fortalecimiento institucional",
        "Financiamiento semilla; acompañamiento",
        "Cartera de proyectos conjuntos",
    ),
    (
        "Radio Comunitaria Voces del Norte",
        "RCVN",
        OrgKind::Media,
        "08",
        "Juárez",
        "Comunicación comunitaria",
        "Producción de radio; campañas",
        "Historias de cambio de las organizaciones",
    ),
    (
        "Tecnología Cívica México",
        "TCM",
        OrgKind::Cso,
        "09",
        "Coyoacán",
        "Tecnología para el Cambio Social",
        "Desarrollo de herramientas cívicas; seguridad digital",
        "Casos de uso de organizaciones de base",
    ),
    (
        "Laboratorio de Datos Abiertos para la Justicia",
        "LDAJ",
        OrgKind::Cso,
        "14",
        "Guadalajara",
        "Tecnología para el Cambio Social, Innovación en el Sistema de Justicia Penal",
        "Datos abiertos; visualización",
        "Financiamiento sostenido",
    ),
    (
        "Código Social",
        "CS",
        OrgKind::Cso,
        "21",
        "Puebla",
        "Tecnología para el Cambio Social, Juventudes",
        "Formación digital para juventudes",
        "Mentorías técnicas",
    ),
    (
        "Iniciativa Digital por los Derechos",
        "IDD",
        OrgKind::Cso,
        "31",
        "Mérida",
        "Tecnología para el Cambio Social, Derechos humanos",
        "Privacidad y protección de datos",
        "Aliados en el sureste",
    ),
    (
        "Fundación Conecta Comunidades",
        "FCC",
        OrgKind::Donor,
        "09",
        "Miguel Hidalgo",
        "Tecnología para el Cambio Social",
        "Donativos para conectividad",
        "Evidencia de resultados",
    ),
    (
        "Periodismo de Datos del Sureste",
        "PDS",
        OrgKind::Media,
        "07",
        "San Cristóbal de las Casas",
        "Comunicación comunitaria, Tecnología para el Cambio Social",
        "Investigación periodística con datos",
        "Fuentes en organizaciones locales",
    ),
    (
        "Lucía Ramírez Ortega, consultoría en mediación",
        "",
        OrgKind::Expert,
        "20",
        "Oaxaca de Juárez",
        "Mediación para la Resolución de Conflictos",
        "Formación de personas mediadoras",
        "",
    ),
    (
        "Programa de Cooperación para el Estado de Derecho",
        "PCED",
        OrgKind::International,
        "09",
        "Cuauhtémoc",
        "Innovación en el Sistema de Justicia Penal, Fortalecimiento institucional",
        "Cooperación técnica",
        "Resultados comparables entre comunidades",
    ),
];

const FIRST: [&str; 30] = [
    "María",
    "José",
    "Guadalupe",
    "Juan",
    "Ana",
    "Luis",
    "Rosa",
    "Carlos",
    "Verónica",
    "Jorge",
    "Alejandra",
    "Miguel",
    "Fernanda",
    "Ricardo",
    "Itzel",
    "Eduardo",
    "Xóchitl",
    "Francisco",
    "Daniela",
    "Héctor",
    "Mariana",
    "Raúl",
    "Citlali",
    "Andrés",
    "Paola",
    "Emiliano",
    "Leticia",
    "Sergio",
    "Yolanda",
    "Tonatiuh",
];
const LAST: [&str; 24] = [
    "Hernández",
    "García",
    "Martínez",
    "López",
    "González",
    "Pérez",
    "Rodríguez",
    "Sánchez",
    "Ramírez",
    "Cruz",
    "Flores",
    "Gómez",
    "Morales",
    "Vázquez",
    "Jiménez",
    "Reyes",
    "Díaz",
    "Torres",
    "Gutiérrez",
    "Ruiz",
    "Mendoza",
    "Aguilar",
    "Ortiz",
    "Santiago",
];

/// Demo accounts: (email, person index, admin).
pub const ACCOUNTS: [(&str, usize, bool); 5] = [
    ("admin@example.org", 12, true),
    ("lider@example.org", 0, false),
    ("integrante@example.org", 6, false),
    ("colider@example.org", 24, false),
    ("facilitadora@example.org", 45, false),
];

pub struct DemoCommunity {
    pub name: &'static str,
    pub purpose: &'static str,
    pub mission: &'static str,
    pub vision: &'static str,
    pub themes: &'static str,
    pub geography: &'static str,
    pub visibility: Visibility,
    /// Indexes into ORGANIZATIONS.
    pub orgs: &'static [usize],
    /// (person index, role) beyond plain membership.
    pub roles: &'static [(usize, Role)],
}

pub const COMMUNITIES: [DemoCommunity; 3] = [
    DemoCommunity {
        name: "Justicia Penal y Mediación en Oaxaca",
        purpose: "Intercambiar prácticas para que el sistema de justicia penal en Oaxaca sea más accesible, con mediación comunitaria y acompañamiento a víctimas.",
        mission: "Aprender juntas y juntos de nuestras experiencias de acompañamiento, mediación y monitoreo judicial, y convertirlas en propuestas comunes.",
        vision: "Una red oaxaqueña que se coordina sola y que es referente en justicia cercana a las comunidades.",
        themes: "Innovación en el Sistema de Justicia Penal, Mediación para la Resolución de Conflictos",
        geography: "Oaxaca: Valles Centrales, Mixteca e Istmo",
        visibility: Visibility::Private,
        orgs: &[0, 1, 2, 3, 4, 5, 6, 23, 24],
        roles: &[(0, Role::Leader), (3, Role::CoLeader), (6, Role::Facilitator), (9, Role::Rapporteur), (15, Role::Timekeeper), (12, Role::Convener)],
    },
    DemoCommunity {
        name: "Red Norte de Prevención de la Violencia",
        purpose: "Compartir lo que funciona en prevención secundaria y terciaria de la violencia con juventudes en el norte del país.",
        mission: "Fortalecer a las organizaciones del norte con metodologías probadas y alianzas con gobierno y sector privado.",
        vision: "Comunidades del norte con menos violencia, donde las juventudes tienen alternativas.",
        themes: "Prevención secundaria y terciaria de la violencia, Juventudes",
        geography: "Chihuahua, Coahuila, Nuevo León y Sonora",
        visibility: Visibility::Private,
        orgs: &[4, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16],
        roles: &[(24, Role::Leader), (27, Role::CoLeader), (30, Role::Facilitator), (33, Role::Rapporteur), (36, Role::Timekeeper), (12, Role::Convener)],
    },
    DemoCommunity {
        name: "Tecnología para el Cambio Social",
        purpose: "Aprender a usar la tecnología de forma segura y útil para nuestras causas: datos abiertos, seguridad digital y herramientas cívicas.",
        mission: "Poner la tecnología al servicio de las organizaciones de base, con cuidado de las personas.",
        vision: "Organizaciones que deciden sobre sus propias herramientas y datos.",
        themes: "Tecnología para el Cambio Social",
        geography: "Nacional",
        visibility: Visibility::Instance,
        orgs: &[4, 17, 18, 19, 20, 21, 22, 2, 11],
        roles: &[(42, Role::Leader), (45, Role::Facilitator), (48, Role::Rapporteur), (51, Role::Timekeeper), (12, Role::Convener)],
    },
];

/// The person at index `i`: a name, an organization (two or three people each) and a level.
fn person(i: usize) -> PersonInput {
    let first = FIRST[(i * 7 + 3) % FIRST.len()];
    let last1 = LAST[(i * 5 + 1) % LAST.len()];
    let last2 = LAST[(i * 11 + 7) % LAST.len()];
    let levels = PositionLevel::ALL;
    PersonInput {
        full_name: format!("{first} {last1} {last2}"),
        email: Some(format!("persona{:02}@example.org", i + 1)),
        organization_id: None,
        position_level: Some(levels[i % levels.len()]),
        position_title: None,
        youth: if i.is_multiple_of(3) {
            Some(i.is_multiple_of(2))
        } else {
            None
        },
        gender: match i % 4 {
            0 => Some("Mujer".into()),
            1 => Some("Hombre".into()),
            2 => None,
            _ => Some("No binaria".into()),
        },
    }
}

pub const PEOPLE: usize = 60;

/// Which organization (index) a person works for: persons are dealt out across organizations.
pub fn person_org(i: usize) -> usize {
    // The first 50 people fill every organization twice; the rest go to the larger ones.
    if i < 50 {
        (i / 2) % ORGANIZATIONS.len()
    } else {
        [0, 4, 8, 11, 17, 2, 12, 18, 9, 3][i - 50]
    }
}

pub enum Outcome {
    Loaded { password: String, generated: bool },
    AlreadyHasData,
}

/// Loads the dataset unless the database already holds organizations or accounts.
mod discussions;
mod funding;
mod library;
mod outcomes;
#[cfg(test)]
mod report_figures;
mod sustainability;

/// Row ids of what the demo created, in the order of the tables above (`users` follows
/// `ACCOUNTS`: admin, leader, member, co-leader, facilitator), for the per-capability demo files.
pub struct Ids<'a> {
    pub communities: &'a [i64],
    pub orgs: &'a [i64],
    pub people: &'a [i64],
    pub users: &'a [i64],
}

pub async fn load(db: &Db, password: Option<String>) -> anyhow::Result<Outcome> {
    if tejido_db::accounts::count_users(db).await? > 0
        || tejido_db::directory::count_organizations(db).await? > 0
    {
        return Ok(Outcome::AlreadyHasData);
    }
    let (password, generated) = match password.filter(|p| !p.is_empty()) {
        Some(p) => (p, false),
        None => (random_password(), true),
    };
    // One hash for all demo accounts: hashing is deliberately slow.
    let hash = tejido_web::auth::hash_password_blocking(&password)?;
    let mut tx = db.begin().await?;
    let mut org_ids = Vec::new();
    for (name, acronym, kind, state, municipality, themes, expertise, needs) in ORGANIZATIONS {
        let input = OrganizationInput {
            name: name.into(),
            acronym: (!acronym.is_empty()).then(|| acronym.into()),
            kind,
            state_code: Some(state.into()),
            municipality: Some(municipality.into()),
            themes: themes.split(", ").map(str::to_owned).collect(),
            expertise: (!expertise.is_empty()).then(|| expertise.into()),
            needs: (!needs.is_empty()).then(|| needs.into()),
            website: None,
            description: None,
        };
        org_ids.push(tejido_db::directory::insert_organization(&mut tx, &input).await?);
    }
    let mut person_ids = Vec::new();
    for i in 0..PEOPLE {
        let mut p = person(i);
        p.organization_id = Some(org_ids[person_org(i)]);
        person_ids.push(tejido_db::directory::insert_person(&mut tx, &p).await?);
    }
    let mut user_ids = Vec::new();
    for (email, idx, admin) in ACCOUNTS {
        let p = person(idx);
        let uid = tejido_db::accounts::insert_user(
            &mut tx,
            &tejido_db::accounts::NewUser {
                email,
                password_hash: Some(&hash),
                display_name: &p.full_name,
                is_admin: admin,
                person_id: Some(person_ids[idx]),
                locale: None,
            },
        )
        .await?;
        tejido_db::audit::record(&mut tx, None, "user-created", Some(email), Some("demo")).await?;
        user_ids.push(uid);
    }
    let mut community_ids = Vec::new();
    for dc in &COMMUNITIES {
        let input = CommunityInput {
            name: dc.name.into(),
            purpose: dc.purpose.into(),
            mission: Some(dc.mission.into()),
            vision: Some(dc.vision.into()),
            themes: dc.themes.split(", ").map(str::to_owned).collect(),
            geography: Some(dc.geography.into()),
            time_zone: tejido_core::communities::DEFAULT_TIME_ZONE.into(),
            visibility: dc.visibility,
        };
        let (cid, _) = tejido_db::communities::insert(&mut tx, &input, None).await?;
        community_ids.push(cid);
        for &o in dc.orgs {
            tejido_db::communities::add_organization(&mut tx, cid, org_ids[o], None).await?;
        }
        // Everyone whose organization is a member joins, plus the role holders.
        for (i, &pid) in person_ids.iter().enumerate() {
            let in_org = dc.orgs.contains(&person_org(i));
            let has_role = dc.roles.iter().any(|(p, _)| *p == i);
            if in_org || has_role {
                tejido_db::communities::add_person(&mut tx, cid, pid, None).await?;
                tejido_db::communities::assign_role(&mut tx, cid, pid, Role::Member, None).await?;
            }
        }
        for &(p, role) in dc.roles {
            tejido_db::communities::assign_role(&mut tx, cid, person_ids[p], role, None).await?;
        }
        // The plain-member demo account belongs to the first community.
        let member = ACCOUNTS[2].1;
        if dc.orgs.contains(&person_org(member)) {
            tejido_db::communities::add_person(&mut tx, cid, person_ids[member], None).await?;
        }
    }
    governance(&mut tx, &community_ids).await?;
    events(&mut tx, &community_ids, &person_ids, &org_ids).await?;
    network(&mut tx, &community_ids, &org_ids).await?;
    let ids = Ids {
        communities: &community_ids,
        orgs: &org_ids,
        people: &person_ids,
        users: &user_ids,
    };
    library::load(&mut tx, &ids).await?;
    discussions::load(&mut tx, &ids).await?;
    outcomes::load(&mut tx, &ids).await?;
    sustainability::load(&mut tx, &ids).await?;
    funding::load(&mut tx, &ids).await?;
    tx.commit().await?;
    Ok(Outcome::Loaded {
        password,
        generated,
    })
}

fn date(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn decision(
    title: &str,
    on: chrono::NaiveDate,
    method: Method,
    votes: Option<(i32, i32, i32)>,
) -> DecisionInput {
    DecisionInput {
        title: title.into(),
        body: None,
        decided_on: on,
        method,
        votes,
        decided_by: Some("Asamblea de integrantes".into()),
        source: None,
        corrects: None,
    }
}

/// (title, indicator, target, status)
type DemoObjective = (&'static str, &'static str, &'static str, ObjectiveStatus);
/// (community id, title, horizon, objectives)
type DemoGoal = (i64, &'static str, Horizon, &'static [DemoObjective]);

/// Goals with objectives, an adopted charter and decisions for the first community (which has
/// moved to co-led), and a first goal for the second: enough to see governance at work.
async fn governance(tx: &mut tejido_db::Tx, communities: &[i64]) -> anyhow::Result<()> {
    let (Some(&oaxaca), Some(&norte)) = (communities.first(), communities.get(1)) else {
        return Ok(());
    };
    let goals: [DemoGoal; 3] = [
        (
            oaxaca,
            "Fortalecer la mediación comunitaria en las regiones",
            Horizon::Short,
            &[
                (
                    "Formar a personas mediadoras comunitarias",
                    "Personas formadas y certificadas",
                    "40",
                    ObjectiveStatus::OnTrack,
                ),
                (
                    "Documentar la metodología de mediación en lenguas indígenas",
                    "Guía publicada en la biblioteca",
                    "1 guía",
                    ObjectiveStatus::AtRisk,
                ),
            ],
        ),
        (
            oaxaca,
            "Incidir en el acceso a la justicia penal de las víctimas",
            Horizon::Medium,
            &[(
                "Presentar una propuesta conjunta a la Defensoría Pública",
                "Propuesta presentada y respondida",
                "1 propuesta",
                ObjectiveStatus::Achieved,
            )],
        ),
        (
            norte,
            "Compartir modelos de prevención con juventudes entre estados",
            Horizon::Short,
            &[(
                "Realizar una gira de estudio entre Juárez y Monterrey",
                "Organizaciones que participan",
                "8",
                ObjectiveStatus::NotStarted,
            )],
        ),
    ];
    for (cid, title, horizon, objectives) in goals {
        let gid = tejido_db::governance::insert_goal(
            tx,
            cid,
            &GoalInput {
                title: title.into(),
                description: None,
                horizon,
            },
            None,
        )
        .await?;
        for (t, indicator, target, status) in objectives.iter() {
            let o = ObjectiveInput {
                title: (*t).into(),
                indicator: (*indicator).into(),
                target: (*target).into(),
                due_on: Some(date(2027, 6, 30)),
                status: ObjectiveStatus::NotStarted,
            };
            let oid = tejido_db::governance::insert_objective(tx, gid, &o, None).await?;
            if *status != ObjectiveStatus::NotStarted {
                tejido_db::governance::change_status(
                    tx,
                    oid,
                    *status,
                    Some("Actualizado en la reunión de seguimiento"),
                    None,
                )
                .await?;
            }
        }
    }
    let charter = CharterForm {
        mission_vision: "Somos una comunidad de organizaciones oaxaqueñas que aprende en conjunto para acercar la justicia a las comunidades.".into(),
        membership: "Pueden integrarse organizaciones de la sociedad civil, academia e instituciones públicas que trabajen en justicia penal o mediación en Oaxaca. Cada organización designa a una persona titular y una suplente.".into(),
        roles: "- **Liderazgo**: rota cada año entre organizaciones integrantes.\n- **Facilitación y relatoría**: rotan en cada encuentro.\n- El liderazgo puede convocar encuentros y representar a la comunidad; los acuerdos de fondo se toman en asamblea.".into(),
        rules: "1. Escuchamos con respeto y sin interrumpir.\n2. Lo que se comparte sobre casos concretos no sale de la comunidad.\n3. Las decisiones se buscan por consenso; si no se alcanza, se vota.".into(),
        accountability: "Cada encuentro termina con compromisos, responsables y fechas, y se revisan al inicio del siguiente.".into(),
        effort: "Un encuentro presencial cada trimestre y una sesión en línea al mes; unas 4 horas al mes por organización.".into(),
    }
    .parse()
    .map_err(|e| anyhow::anyhow!("demo charter: {e:?}"))?;
    let (version, _, _) = tejido_db::charter::ensure_draft(tx, oaxaca, None).await?;
    tejido_db::charter::save_draft(tx, version, &charter).await?;
    tejido_db::charter::adopt(
        tx,
        oaxaca,
        version,
        &decision(
            "Adoptamos la carta de la comunidad",
            date(2026, 3, 12),
            Method::Vote,
            Some((14, 0, 1)),
        ),
        None,
    )
    .await?;
    let mut phase = decision(
        "Pasamos a codirigir la comunidad con la convocante",
        date(2026, 6, 18),
        Method::Consensus,
        None,
    );
    phase.source = Some((Source::Phase, oaxaca));
    tejido_db::decisions::insert(tx, oaxaca, &phase, None).await?;
    tejido_db::governance::set_phase(tx, oaxaca, tejido_core::communities::Phase::CoLed).await?;
    tejido_db::decisions::insert(
        tx,
        oaxaca,
        &decision(
            "El próximo encuentro será en Tlaxiaco, junto con la feria regional",
            date(2026, 9, 4),
            Method::Consensus,
            None,
        ),
        None,
    )
    .await?;
    Ok(())
}

/// A held meeting (members' proposals and votes, agenda, attendance, published minutes with
/// action items, lessons and report-backs) and an upcoming workshop with voting open, in the
/// first community; an upcoming meeting in the second.
async fn events(
    tx: &mut tejido_db::Tx,
    communities: &[i64],
    people: &[i64],
    orgs: &[i64],
) -> anyhow::Result<()> {
    use chrono::{Duration, NaiveTime, Utc};
    use tejido_core::agenda::{Methodology, TopicInput};
    use tejido_core::events::{Attendance, EventInput, EventKind, EventMode, EventStatus};
    use tejido_core::minutes::{
        ActionItemInput, MinutesInput, MinutesStatus, ReportBackFormat, ReportBackInput,
    };

    let (Some(&oaxaca), Some(&norte)) = (communities.first(), communities.get(1)) else {
        return Ok(());
    };
    let at = |days: i64, hour: u32| {
        let d = (Utc::now() + Duration::days(days)).date_naive();
        // 10:00 in Mexico City is 16:00 UTC.
        d.and_time(NaiveTime::from_hms_opt(hour + 6, 0, 0).unwrap_or_default())
            .and_utc()
    };
    let event =
        |title: &str, kind, mode, start, end, status, link: Option<&str>, host: Option<i64>| {
            EventInput {
                title: title.into(),
                description: None,
                kind,
                mode,
                starts_at: start,
                ends_at: end,
                time_zone: tejido_core::communities::DEFAULT_TIME_ZONE.into(),
                venue: Some("Casa de la Cultura".into()),
                city: Some("Heroica Ciudad de Tlaxiaco".into()),
                state_code: Some("20".into()),
                online_link: link.map(str::to_owned),
                host_organization_id: host,
                scheduled_around: None,
                status,
                capacity: Some(40),
                dots_per_member: 3,
                voting_closes_at: None,
            }
        };
    // Members of the first community: people of its organizations (see COMMUNITIES).
    let members: Vec<usize> = (0..PEOPLE)
        .filter(|i| COMMUNITIES[0].orgs.contains(&person_org(*i)))
        .collect();

    let held = tejido_db::events::insert(
        tx,
        oaxaca,
        &event(
            "Encuentro trimestral: mediación en lenguas indígenas",
            EventKind::Meeting,
            EventMode::InPerson,
            at(-40, 10),
            at(-40, 17),
            EventStatus::Held,
            None,
            orgs.get(1).copied(),
        ),
        None,
    )
    .await?;
    let mut marks = Vec::new();
    for (k, &i) in members.iter().take(12).enumerate() {
        tejido_db::events::register(tx, held, Some(40), people[i], None).await?;
        let a = match k % 6 {
            4 => Attendance::Remote,
            5 if k > 6 => Attendance::Absent,
            _ => Attendance::Present,
        };
        marks.push((people[i], a));
    }
    tejido_db::events::set_attendance(tx, held, &marks).await?;
    let topics = [
        (
            members[1],
            "Mediación con intérpretes comunitarios",
            "Las audiencias en lenguas indígenas siguen sin intérpretes",
        ),
        (
            members[3],
            "Seguridad de las personas defensoras",
            "Dos integrantes recibieron amenazas este año",
        ),
        (
            members[5],
            "Datos de audiencias para incidencia",
            "Queremos presentar evidencia a la Defensoría",
        ),
    ];
    let mut topic_ids = Vec::new();
    for (who, title, why) in topics {
        let t = TopicInput {
            title: title.into(),
            why: why.into(),
            methodology: Some(Methodology::WorldCafe),
        };
        topic_ids.push(tejido_db::agenda::insert_topic(tx, held, people[who], &t).await?);
    }
    for (k, &i) in members.iter().take(9).enumerate() {
        let lines = [(topic_ids[k % 3], 2), (topic_ids[(k + 1) % 3], 1)];
        tejido_db::agenda::replace_ballot(tx, held, people[i], &lines).await?;
    }
    let slots = [
        (
            Some(topic_ids[0]),
            "Mediación con intérpretes comunitarios",
            10,
            Methodology::WorldCafe,
            false,
            members[1],
        ),
        (
            Some(topic_ids[2]),
            "Datos de audiencias para incidencia",
            12,
            Methodology::OneTwoFourAll,
            false,
            members[5],
        ),
        (
            None,
            "Espacio abierto: temas del día",
            15,
            Methodology::OpenSpace,
            true,
            members[3],
        ),
    ];
    for (topic, title, hour, methodology, open_space, facilitator) in slots {
        let fac = [people[facilitator]];
        let it = tejido_db::agenda::NewItem {
            topic_id: topic,
            title,
            starts_at: at(-40, hour),
            ends_at: at(-40, hour + 1) + Duration::minutes(30),
            methodology,
            open_space,
            facilitators: &fac,
        };
        tejido_db::agenda::insert_item(tx, held, &it, None).await?;
    }
    let minutes = MinutesInput {
        summary: "Doce organizaciones revisaron cómo acompañar audiencias en lenguas indígenas. Se acordó compartir la guía de mediación y pedir a la Defensoría una mesa sobre intérpretes.".into(),
        takeaways: Some("- La mediación comunitaria reduce los tiempos de solución.\n- Falta un padrón de intérpretes certificados por región.".into()),
        status: MinutesStatus::Published,
    };
    tejido_db::minutes::save_version(tx, held, &minutes, None).await?;
    let due = (Utc::now() + Duration::days(10)).date_naive();
    for (title, owner) in [
        (
            "Enviar a la Defensoría la solicitud de mesa sobre intérpretes",
            0,
        ),
        ("Subir la guía de mediación a la biblioteca", members[1]),
    ] {
        tejido_db::minutes::insert_item(
            tx,
            held,
            &ActionItemInput {
                title: title.into(),
                owner_person_id: people[owner],
                due_on: due,
            },
            None,
        )
        .await?;
    }
    tejido_db::minutes::insert_lesson(
        tx,
        held,
        "Reservar media hora para temas del día dio espacio a lo urgente sin desordenar la agenda.",
        None,
    )
    .await?;
    for &i in members.iter().take(4) {
        let rb = ReportBackInput {
            reported_on: (Utc::now() - Duration::days(35)).date_naive(),
            format: ReportBackFormat::Meeting,
            audience: 8,
            notes: Some("Compartí los acuerdos en la reunión de equipo.".into()),
        };
        tejido_db::minutes::save_report_back(tx, held, people[i], &rb).await?;
    }

    let upcoming = tejido_db::events::insert(
        tx,
        oaxaca,
        &event(
            "Taller: monitoreo de audiencias con datos abiertos",
            EventKind::Workshop,
            EventMode::Hybrid,
            at(21, 10),
            at(21, 14),
            EventStatus::Confirmed,
            Some("https://reuniones.example.org/taller-audiencias"),
            orgs.get(2).copied(),
        ),
        None,
    )
    .await?;
    for &i in members.iter().take(6) {
        tejido_db::events::register(tx, upcoming, Some(40), people[i], None).await?;
    }
    let t = TopicInput {
        title: "Cómo leer las bases de datos del Poder Judicial".into(),
        why: "Casi nadie en la red sabe usarlas".into(),
        methodology: Some(Methodology::Panel),
    };
    tejido_db::agenda::insert_topic(tx, upcoming, people[members[2]], &t).await?;
    let mut next = event(
        "Reunión en línea: gira de estudio Juárez–Monterrey",
        EventKind::Meeting,
        EventMode::Virtual,
        at(9, 11),
        at(9, 13),
        EventStatus::Planned,
        Some("https://reuniones.example.org/red-norte"),
        None,
    );
    next.venue = None;
    next.city = None;
    next.state_code = None;
    tejido_db::events::insert(tx, norte, &next, None).await?;
    Ok(())
}

/// Ties among the first community's organizations and their allies: some from before the
/// community (a baseline a year ago), most formed through it since.
async fn network(tx: &mut tejido_db::Tx, communities: &[i64], orgs: &[i64]) -> anyhow::Result<()> {
    use tejido_core::network::{RatedTie, SubRatings, TieInput, TieKind, TieSource};
    let Some(&oaxaca) = communities.first() else {
        return Ok(());
    };
    let year_ago = (chrono::Utc::now() - chrono::Duration::days(400)).date_naive();
    let recent = (chrono::Utc::now() - chrono::Duration::days(90)).date_naive();
    // (from, to, kind, strength, trust, value, formed through the community)
    let ties: [(usize, usize, TieKind, i64, i64, i64, bool); 16] = [
        (0, 2, TieKind::Collaboration, 3, 4, 4, false),
        (0, 3, TieKind::Alliance, 2, 4, 3, true),
        (1, 23, TieKind::Mentoring, 3, 4, 4, false),
        (1, 0, TieKind::Information, 2, 3, 3, true),
        (2, 5, TieKind::Collaboration, 2, 3, 4, true),
        (2, 6, TieKind::Referral, 2, 3, 3, true),
        (3, 6, TieKind::Referral, 1, 2, 2, true),
        (4, 0, TieKind::Funding, 3, 4, 4, false),
        (4, 1, TieKind::Funding, 2, 3, 3, true),
        (4, 24, TieKind::Information, 2, 3, 3, false),
        (5, 6, TieKind::Information, 1, 2, 3, true),
        (23, 3, TieKind::Mentoring, 2, 4, 4, true),
        (24, 2, TieKind::Collaboration, 2, 3, 3, true),
        (17, 2, TieKind::Collaboration, 2, 3, 4, true),
        (22, 3, TieKind::Information, 1, 2, 2, true),
        (6, 5, TieKind::Collaboration, 1, 2, 3, true),
    ];
    // PARTNER sub-ratings of some ties (reliability, shared mission, openness; power and
    // influence, resources, involvement): trust and value become their means.
    let partner: [(usize, [i64; 6]); 6] = [
        (0, [4, 4, 4, 4, 3, 4]),
        (1, [4, 4, 3, 3, 2, 3]),
        (3, [3, 3, 2, 3, 3, 2]),
        (4, [3, 2, 3, 4, 3, 4]),
        (11, [4, 4, 3, 4, 4, 3]),
        (12, [3, 3, 3, 2, 3, 3]),
    ];
    let input: Vec<RatedTie> = ties
        .iter()
        .enumerate()
        .filter_map(|(i, &(a, b, kind, strength, trust, value, via))| {
            let ratings = partner
                .iter()
                .find(|(k, _)| *k == i)
                .map(|(_, r)| SubRatings {
                    reliability: r[0],
                    mission: r[1],
                    openness: r[2],
                    power: r[3],
                    resources: r[4],
                    involvement: r[5],
                });
            Some(RatedTie {
                tie: TieInput {
                    from: *orgs.get(a)?,
                    to: *orgs.get(b)?,
                    kind,
                    strength,
                    trust: Some(ratings.map_or(trust, |r| r.trust_points())),
                    value: Some(ratings.map_or(value, |r| r.value_points())),
                    started_on: if via { recent } else { year_ago },
                    ended_on: None,
                    via_community: via,
                },
                ratings,
            })
        })
        .collect();
    tejido_db::network::insert_rated_ties(tx, oaxaca, &input, TieSource::Member, None, None)
        .await?;
    Ok(())
}

/// Loads the demo and tells the operator what happened, printing a generated password once.
pub async fn load_and_report(db: &Db) -> anyhow::Result<()> {
    match load(db, std::env::var("TEJIDO_DEMO_PASSWORD").ok()).await? {
        Outcome::AlreadyHasData => {
            println!("The database already holds data: the demo dataset was not added.")
        }
        Outcome::Loaded {
            password,
            generated,
        } => {
            println!(
                "Demo dataset loaded: {} organizations, {} people, {} communities.",
                ORGANIZATIONS.len(),
                PEOPLE,
                COMMUNITIES.len()
            );
            println!("Demo accounts: {}", ACCOUNTS.map(|a| a.0).join(", "));
            if generated {
                println!("Their password (shown once; set TEJIDO_DEMO_PASSWORD to choose it): {password}");
            } else {
                println!("Their password is the value of TEJIDO_DEMO_PASSWORD.");
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The whole dataset loads in one transaction on both backends, and only once.
    async fn loads_once(app: tejido_test::TestApp) {
        match load(&app.db, Some("una contraseña de demostración".into()))
            .await
            .unwrap()
        {
            Outcome::Loaded { generated, .. } => assert!(!generated),
            Outcome::AlreadyHasData => panic!("empty database reported as full"),
        }
        assert_eq!(app.count("organizations").await, 25);
        assert_eq!(app.count("people").await, PEOPLE as i64);
        assert_eq!(app.count("communities").await, 3);
        assert_eq!(app.count("users").await, ACCOUNTS.len() as i64);
        assert!(app.count("events").await >= 3);
        assert!(app.count("event_report_backs").await > 0);
        assert_eq!(app.count("charter_versions").await, 1);
        let users_before = app.count("users").await;
        assert!(matches!(
            load(&app.db, None).await.unwrap(),
            Outcome::AlreadyHasData
        ));
        assert_eq!(app.count("users").await, users_before);
    }

    tejido_test::both_backends!(
        demo_loads_once_on_both_backends,
        |app: tejido_test::TestApp| loads_once(app)
    );

    #[test]
    fn dataset_shape() {
        let kinds: std::collections::HashSet<_> = ORGANIZATIONS.iter().map(|o| o.2).collect();
        assert!(kinds.len() >= 6, "several sectors");
        let states: std::collections::HashSet<_> = ORGANIZATIONS.iter().map(|o| o.3).collect();
        assert!(states.len() >= 6, "several states");
        for o in ORGANIZATIONS {
            assert!(tejido_core::directory::state_name(o.3).is_some(), "{}", o.0);
        }
        let names: std::collections::HashSet<_> =
            (0..PEOPLE).map(|i| person(i).full_name).collect();
        assert_eq!(names.len(), PEOPLE, "people names are distinct");
        for i in 0..PEOPLE {
            assert!(person_org(i) < ORGANIZATIONS.len());
        }
        for c in &COMMUNITIES {
            for (p, _) in c.roles {
                assert!(*p < PEOPLE);
            }
        }
        // The leader account leads the first community.
        assert!(COMMUNITIES[0]
            .roles
            .contains(&(ACCOUNTS[1].1, Role::Leader)));
    }
}
