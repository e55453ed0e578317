//! Demo data: the knowledge library of community 0 (Justicia Penal y Mediación en Oaxaca) and
//! two resources open to everyone, each indexed for search like a resource saved on the page.
//! One methodology carries a small PDF: its row is written here, its bytes are written into the
//! data directory by `tejido serve --demo` (`tejido_core::uploads::SAMPLE_PDF`); loaded with
//! `tejido demo` alone, the download answers "not found" until `serve --demo` runs once.

use tejido_core::library::{Kind, ResourceInput, SourceKind, Visibility};
use tejido_db::search::{SearchDoc, Source};
use tejido_db::uploads::{NewUpload, OwnerKind};

use super::Ids;

struct Demo {
    kind: Kind,
    title: &'static str,
    body: &'static str,
    url: Option<&'static str>,
    themes: &'static str,
    visibility: Visibility,
    /// Index into ORGANIZATIONS.
    org: Option<usize>,
    /// Index into the demo accounts' users (1 = lider@, 2 = integrante@).
    author: usize,
    pdf: Option<&'static str>,
}

const RESOURCES: [Demo; 9] = [
    Demo {
        kind: Kind::Methodology,
        title: "Metodología de mediación comunitaria en lenguas indígenas",
        body: "Cómo acompañamos conflictos vecinales y agrarios en la Mixteca con mediadoras que hablan la lengua de la comunidad.\n\n## Pasos\n\n1. **Acercamiento** con la autoridad comunitaria y las partes, por separado.\n2. **Sesión conjunta** en la lengua de las partes, con intérprete si hace falta.\n3. **Acuerdo por escrito** en español y en la lengua, leído en voz alta.\n4. **Seguimiento** a los 30 y 90 días.\n\n## Lo que aprendimos\n\n- La mediación funciona mejor cuando la autoridad comunitaria la respalda desde el inicio.\n- Los acuerdos se cumplen más cuando las partes los redactan con sus palabras.",
        url: None,
        themes: "mediación, lenguas indígenas, justicia cercana",
        visibility: Visibility::Community,
        org: Some(1),
        author: 1,
        pdf: Some("Metodologia-mediacion-comunitaria.pdf"),
    },
    Demo {
        kind: Kind::Guide,
        title: "Guía para facilitar una Revisión Después de la Acción",
        body: "Una Revisión Después de la Acción toma 30 a 45 minutos y se hace al terminar un encuentro o un proyecto, con quienes participaron.\n\n## Las cuatro preguntas\n\n1. ¿Qué esperábamos que pasara?\n2. ¿Qué pasó en realidad?\n3. ¿Por qué hubo diferencias?\n4. ¿Qué mantenemos y qué mejoramos la próxima vez?\n\nLa facilitadora cuida que no se busquen culpables: se revisa lo que pasó, no a las personas.",
        url: None,
        themes: "aprendizaje, facilitación, evaluación",
        visibility: Visibility::Public,
        org: Some(0),
        author: 1,
        pdf: None,
    },
    Demo {
        kind: Kind::ContactList,
        title: "Directorio de defensorías públicas y centros de justicia alternativa de Oaxaca",
        body: "Contactos institucionales que la comunidad ha verificado para canalizar casos.\n\n| Región | Institución | Horario |\n| --- | --- | --- |\n| Valles Centrales | Defensoría Pública del Estado, sede Oaxaca de Juárez | lunes a viernes, 9 a 15 h |\n| Mixteca | Centro de Justicia Alternativa, Tlaxiaco | lunes a viernes, 9 a 14 h |\n| Istmo | Defensoría Pública, Juchitán de Zaragoza | lunes a viernes, 9 a 15 h |\n\nAntes de canalizar, confirma por teléfono: los horarios cambian en temporada de fiestas.",
        url: None,
        themes: "canalización, defensoría",
        visibility: Visibility::Community,
        org: Some(3),
        author: 1,
        pdf: None,
    },
    Demo {
        kind: Kind::Template,
        title: "Plantilla de relatoría para los encuentros de la comunidad",
        body: "Copia esta estructura al escribir la relatoría de un encuentro:\n\n- **Fecha, lugar y quiénes asistieron** (organización y cargo).\n- **Resumen**: los temas de la agenda y lo principal de cada uno.\n- **Acuerdos**: qué se decidió y cómo (consenso o votación).\n- **Compromisos**: qué, quién y para cuándo.\n- **Lecciones aprendidas**: lo que conviene repetir y lo que conviene cambiar.",
        url: None,
        themes: "relatoría, encuentros",
        visibility: Visibility::Community,
        org: None,
        author: 2,
        pdf: None,
    },
    Demo {
        kind: Kind::BestPractice,
        title: "Monitoreo ciudadano de audiencias penales",
        body: "Voluntarias capacitadas asisten a audiencias públicas y registran en un formato común la duración, si hubo intérprete y si se explicaron los derechos a la persona imputada.\n\nCon dos años de registros pudimos mostrar al Poder Judicial que 4 de cada 10 audiencias con personas indígenas no tuvieron intérprete, y se abrió una mesa de trabajo.",
        url: None,
        themes: "monitoreo judicial, datos, derechos humanos",
        visibility: Visibility::Community,
        org: Some(2),
        author: 1,
        pdf: None,
    },
    Demo {
        kind: Kind::LessonLearned,
        title: "Traducir el consentimiento informado antes del taller, no durante",
        body: "En el taller de Juchitán la traducción simultánea del consentimiento informado tomó una hora y dejó dudas. Ahora lo traducimos y lo revisamos con una hablante de la comunidad una semana antes.",
        url: None,
        themes: "lenguas indígenas, talleres",
        visibility: Visibility::Community,
        org: Some(3),
        author: 2,
        pdf: None,
    },
    Demo {
        kind: Kind::Report,
        title: "Informe 2025: acceso a la justicia de mujeres indígenas en el Istmo",
        body: "Resumen del informe anual de la Red de Defensoras Comunitarias del Istmo: 126 casos acompañados, tiempos de respuesta de las fiscalías y recomendaciones para la Defensoría Pública.",
        url: None,
        themes: "género, justicia penal, Istmo",
        visibility: Visibility::Community,
        org: Some(3),
        author: 1,
        pdf: None,
    },
    Demo {
        kind: Kind::Dataset,
        title: "Audiencias observadas en Valles Centrales, 2024",
        body: "Hoja de cálculo con 312 audiencias observadas: fecha, juzgado, tipo de audiencia, duración, presencia de intérprete y de defensa. Sin nombres de personas. Pide el archivo a Justicia Cotidiana Oaxaca.",
        url: None,
        themes: "monitoreo judicial, datos",
        visibility: Visibility::Community,
        org: Some(2),
        author: 1,
        pdf: None,
    },
    Demo {
        kind: Kind::Link,
        title: "Ley Nacional de Mecanismos Alternativos de Solución de Controversias",
        body: "El texto vigente de la ley que regula la mediación y la conciliación en materia penal y civil.",
        url: Some("https://www.diputados.gob.mx/LeyesBiblio/index.htm"),
        themes: "mediación, marco legal",
        visibility: Visibility::Instance,
        org: None,
        author: 1,
        pdf: None,
    },
];

pub async fn load(tx: &mut tejido_db::Tx, ids: &Ids<'_>) -> anyhow::Result<()> {
    let Some(&cid) = ids.communities.first() else {
        return Ok(());
    };
    for d in &RESOURCES {
        let input = ResourceInput {
            kind: d.kind,
            title: d.title.into(),
            body: d.body.into(),
            url: d.url.map(str::to_owned),
            language: "es".into(),
            themes: d.themes.split(',').map(|t| t.trim().to_owned()).collect(),
            visibility: d.visibility,
            community_id: Some(cid),
            organization_id: d.org.and_then(|o| ids.orgs.get(o).copied()),
            source: None::<(SourceKind, i64)>,
        };
        let by = ids.users.get(d.author).copied();
        let id = tejido_db::library::insert(tx, &input, by).await?;
        let url = format!("/library/{id}");
        tejido_db::search::upsert(
            tx,
            &SearchDoc {
                source: Source::Resource,
                source_id: id,
                community_id: input.community_id,
                audience: d.visibility.audience(),
                kind: Some(d.kind.as_str()),
                themes: &input.themes,
                lang: "es",
                title: &input.title,
                body: &input.body,
                url: &url,
            },
        )
        .await?;
        if let Some(name) = d.pdf {
            let bytes = tejido_core::uploads::SAMPLE_PDF;
            let sha = tejido_db::uploads::sha256_bytes(bytes);
            let u = tejido_db::uploads::insert(
                tx,
                &NewUpload {
                    sha256: &sha,
                    size: i64::try_from(bytes.len())?,
                    content_type: tejido_core::uploads::FileKind::Pdf.content_type(),
                    filename: name,
                    created_by: by,
                },
            )
            .await?;
            tejido_db::uploads::attach(tx, OwnerKind::Resource, id, u.id).await?;
        }
    }
    Ok(())
}
