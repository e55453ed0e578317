//! Demo data: discussions and peer support in the first community (Justicia Penal y Mediación en
//! Oaxaca): three threads with replies, a mention and an edit kept in the history; two offers,
//! one open ask matched to the organizations that fit, and one ask resolved with the help of
//! another organization (which wrote a peer-help tie in the community's network map).

use tejido_core::discussions::{slug_handle, ThreadInput};
use tejido_core::network::{TieInput, TieKind, TieSource};
use tejido_core::support::{rank, AskInput, AskStatus, OfferInput, Urgency};
use tejido_db::discussions as talk;
use tejido_db::search::{self, Audience, SearchDoc, Source};
use tejido_db::support as help;

use super::Ids;

/// Indexes into `ACCOUNTS`/`ids.users`.
const ADMIN: usize = 0;
const LEADER: usize = 1;
const MEMBER: usize = 2;

pub async fn load(tx: &mut tejido_db::Tx, ids: &Ids<'_>) -> anyhow::Result<()> {
    threads(tx, ids).await?;
    support(tx, ids).await
}

async fn thread(
    tx: &mut tejido_db::Tx,
    cid: i64,
    slug: &str,
    author: i64,
    title: &str,
    body: &str,
) -> anyhow::Result<i64> {
    let input = ThreadInput {
        title: title.into(),
        body: body.into(),
    };
    let id = talk::insert_thread(tx, cid, &input, author).await?;
    index(tx, cid, slug, id, &input).await?;
    Ok(id)
}

async fn index(
    tx: &mut tejido_db::Tx,
    cid: i64,
    slug: &str,
    id: i64,
    t: &ThreadInput,
) -> anyhow::Result<()> {
    let url = format!("/c/{slug}/discussions/{id}");
    search::upsert(
        tx,
        &SearchDoc {
            source: Source::Discussion,
            source_id: id,
            community_id: Some(cid),
            audience: Audience::Community,
            kind: None,
            themes: &[],
            lang: "es",
            title: &t.title,
            body: &t.body,
            url: &url,
        },
    )
    .await?;
    Ok(())
}

async fn threads(tx: &mut tejido_db::Tx, ids: &Ids<'_>) -> anyhow::Result<()> {
    let cid = ids.communities[0];
    let slug = "justicia-penal-y-mediacion-en-oaxaca";
    let (admin, leader, member) = (ids.users[ADMIN], ids.users[LEADER], ids.users[MEMBER]);
    let member_handle = slug_handle(&super::person(super::ACCOUNTS[MEMBER].1).full_name);

    let t1 = thread(
        tx,
        cid,
        slug,
        leader,
        "Formatos de convenio de mediación en lenguas indígenas",
        &format!(
            "Estamos preparando convenios de mediación en zapoteco y mixteco para las agencias \
             municipales de los Valles Centrales.\n\n¿Alguien tiene formatos que ya hayan usado? \
             @{member_handle}, ustedes trabajaron algo parecido en el Istmo, ¿verdad?"
        ),
    )
    .await?;
    talk::insert_reply(
        tx,
        t1,
        "Sí, tenemos un formato en zapoteco del Istmo revisado por la Casa de la Cultura de \
         Juchitán. Lo subo a la biblioteca esta semana. Ojo: el glosario de términos jurídicos \
         fue lo más difícil.",
        member,
    )
    .await?;
    talk::insert_reply(
        tx,
        t1,
        "Propongo que lo revisemos en el próximo encuentro y acordemos un glosario común para \
         toda la red.",
        admin,
    )
    .await?;

    let t2 = thread(
        tx,
        cid,
        slug,
        member,
        "¿Cómo documentan el acompañamiento a víctimas?",
        "Llevamos el registro en hojas de cálculo y se nos pierde información entre una \
         audiencia y otra. ¿Qué herramientas o formatos usan ustedes para el seguimiento de \
         casos, cuidando los datos personales?",
    )
    .await?;
    talk::insert_reply(
        tx,
        t2,
        "Nosotras usamos una ficha por caso con tres secciones: hechos, acompañamiento y \
         próximos pasos. Los datos personales van en un archivo aparte, cifrado. Con gusto la \
         compartimos.",
        leader,
    )
    .await?;

    let first = ThreadInput {
        title: "Calendario del primer semestre".into(),
        body: "Propuesta: encuentros el último jueves de cada mes.".into(),
    };
    let t3 = talk::insert_thread(tx, cid, &first, admin).await?;
    let edited = ThreadInput {
        title: "Propuesta de calendario para el primer semestre de 2027".into(),
        body: "Propuesta: encuentros el **último jueves de cada mes**, alternando sede entre \
               Oaxaca de Juárez, Tlaxiaco y Juchitán. Las fechas de Semana Santa se mueven una \
               semana."
            .into(),
    };
    talk::update_thread(tx, t3, &edited, Some(admin)).await?;
    index(tx, cid, slug, t3, &edited).await?;
    talk::insert_reply(
        tx,
        t3,
        "De acuerdo con alternar sedes. Para Tlaxiaco habría que prever transporte compartido.",
        member,
    )
    .await?;
    Ok(())
}

async fn support(tx: &mut tejido_db::Tx, ids: &Ids<'_>) -> anyhow::Result<()> {
    let cid = ids.communities[0];
    let (leader, member) = (ids.users[LEADER], ids.users[MEMBER]);
    let org = |i: usize| ids.orgs[i];
    // Organizations: 0 CDHTD (the leader's), 1 CMCG, 2 JCO, 3 REDCI (the member's).
    help::insert_offer(
        tx,
        org(1),
        &OfferInput {
            title: "Mediación comunitaria en lenguas indígenas".into(),
            description: "Facilitamos procesos de mediación en zapoteco y mixteco y formamos \
                          a mediadoras comunitarias; compartimos nuestros formatos y glosarios."
                .into(),
            themes: vec![
                "Mediación para la Resolución de Conflictos".into(),
                "Lenguas indígenas".into(),
            ],
        },
        None,
    )
    .await?;
    help::insert_offer(
        tx,
        org(2),
        &OfferInput {
            title: "Análisis de datos judiciales y seguridad de la información".into(),
            description: "Ayudamos a ordenar registros de casos, proteger datos personales y \
                          analizar información de audiencias."
                .into(),
            themes: vec![
                "Tecnología para el Cambio Social".into(),
                "Innovación en el Sistema de Justicia Penal".into(),
            ],
        },
        None,
    )
    .await?;

    // An open ask, matched.
    let open = AskInput {
        title: "Intérpretes de zapoteco para una mediación en Tlacolula".into(),
        need: "Acompañamos un conflicto por linderos entre dos familias de Tlacolula y la \
               mediación tiene que ser en zapoteco. Buscamos una organización con experiencia en \
               mediación comunitaria en lenguas indígenas que nos acompañe en dos sesiones."
            .into(),
        theme: "Mediación para la Resolución de Conflictos".into(),
        urgency: Urgency::High,
        deadline: Some(super::date(2027, 1, 15)),
        communities: vec![cid],
    };
    let a1 = help::insert_ask(tx, org(0), leader, &open).await?;
    let cands = help::candidates(tx, a1, org(0)).await?;
    let matches = rank(
        &open.theme,
        &format!("{} {}", open.title, open.need),
        org(0),
        &cands,
    );
    help::insert_matches(tx, a1, &matches).await?;
    help::insert_answer(
        tx,
        a1,
        member,
        "En la Red de Defensoras conocemos a dos intérpretes de Tlacolula; les paso el contacto \
         por correo.",
    )
    .await?;

    // A resolved ask: the help became a tie in the network map.
    let resolved = AskInput {
        title: "Ordenar el registro de casos sin exponer datos personales".into(),
        need: "Nuestro registro de acompañamiento está en hojas de cálculo compartidas. \
               Necesitamos apoyo para separar los datos personales y proteger la información \
               de las defensoras."
            .into(),
        theme: "Tecnología para el Cambio Social".into(),
        urgency: Urgency::Normal,
        deadline: None,
        communities: vec![cid],
    };
    let a2 = help::insert_ask(tx, org(3), member, &resolved).await?;
    let cands = help::candidates(tx, a2, org(3)).await?;
    let matches = rank(
        &resolved.theme,
        &format!("{} {}", resolved.title, resolved.need),
        org(3),
        &cands,
    );
    help::insert_matches(tx, a2, &matches).await?;
    help::insert_answer(
        tx,
        a2,
        leader,
        "Justicia Cotidiana nos ayudó con algo parecido el año pasado; vale la pena hablar con ellas.",
    )
    .await?;
    help::close(tx, a2, AskStatus::Resolved, Some(member)).await?;
    let tie = TieInput {
        from: org(2),
        to: org(3),
        kind: TieKind::PeerHelp,
        strength: 1,
        trust: None,
        value: None,
        started_on: super::date(2026, 11, 10),
        ended_on: None,
        via_community: true,
    };
    let tie_ids =
        tejido_db::network::insert_ties(tx, cid, &[tie], TieSource::PeerHelp, None, Some(member))
            .await?;
    help::insert_helper(tx, a2, org(2), tie_ids.first().copied()).await?;
    Ok(())
}
