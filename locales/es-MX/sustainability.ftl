# Sustainability: see crates/tejido-web/src/features/sustainability.rs.

## The assessment engine: the five maturity stages (shared by every instrument on that scale)
assessment-stage-0 = No presente
assessment-stage-1 = Emergente
assessment-stage-2 = En expansión
assessment-stage-3 = Avanzado
assessment-stage-4 = Institucionalizado
assessment-error-rating = Elige una etapa de la escala (de 0 a 4) o deja el criterio sin calificar.

## The instrument: the seed's Table 4, "Dimensions of sustainability"
sust-instrument = Sostenibilidad de una comunidad de aprendizaje
sust-dim-management = Gestión y estructura
sust-dim-funding = Financiamiento
sust-dim-processes = Procesos
sust-dim-culture = Cultura
sust-item-ms-1 = Liderazgo: roles y responsabilidades claramente definidos, incluida la delegación de autoridad al personal participante.
sust-item-ms-2 = Se definió una misión/visión para la Comunidad de Aprendizaje.
sust-item-ms-3 = Se definió un conjunto de mecanismos de rendición de cuentas y de lineamientos de interacción.
sust-item-ms-4 = Se consideran e incorporan esquemas y metodologías de participación, y se define el nivel de esfuerzo.
sust-item-fu-1 = Costos y recursos: costos y esquemas de aportación claramente definidos.
sust-item-fu-2 = Financiamiento diversificado: un plan de procuración de fondos que incluye donantes identificados, posibles esquemas de cobro por servicios y procuración de fondos según las oportunidades a lo largo del tiempo; responsabilidades claras, metas presupuestales y mecanismos de transparencia; y planes específicos para diversificar las fuentes de financiamiento.
sust-item-fu-3 = Servicios contables: se definieron la gestión, las habilidades y el nivel de esfuerzo necesarios para sostener la Comunidad de Aprendizaje.
sust-item-fu-4 = Mapeo y reconocimiento de los activos colectivos (en efectivo y en especie) que las OSC integrantes pueden aportar.
sust-item-pr-1 = Se establecen metodologías participativas para propiciar aportaciones diversas.
sust-item-pr-2 = Las fuentes de información se hacen públicas y se incorpora el conocimiento local.
sust-item-pr-3 = Se establecen procedimientos y sistemas para captar, sintetizar, almacenar y difundir la información clave y el conocimiento tácito.
sust-item-pr-4 = Los roles y responsabilidades de las y los participantes están claramente establecidos para permitir su participación efectiva en las actividades de la Comunidad de Aprendizaje.
sust-item-cu-1 = Se establecen niveles de autonomía y procesos de toma de decisiones para asegurar una participación constante y equitativa.
sust-item-cu-2 = Se establece y cultiva un ambiente en el que las personas pueden compartir ideas (espacios incluyentes, abiertos y seguros para la colaboración y la interacción).
sust-item-cu-3 = Se construyen relaciones sólidas basadas en la confianza y la buena comunicación para compartir conocimientos y recursos.
sust-item-cu-4 = Las y los participantes e integrantes de la Comunidad de Aprendizaje están empoderados para participar, aprender y reflexionar.
sust-item-cu-5 = Se valora y protege la reputación de las y los participantes, de las organizaciones y del grupo de la Comunidad de Aprendizaje.
sust-item-cu-6 = Se aprovecha y optimiza la experiencia de las y los participantes y de las organizaciones.

## Pages
sust-title = Autodiagnóstico de sostenibilidad
sust-intro = Cada integrante califica los criterios de las cuatro dimensiones de sostenibilidad (gestión y estructura, financiamiento, procesos y cultura) en una de cinco etapas de madurez, con evidencia y una nota. Las etapas abren la conversación; no son una rúbrica.
sust-privacy = Las calificaciones individuales son confidenciales: nadie, ni siquiera quienes coordinan, ve quién calificó qué. Los resultados son agregados y la evidencia y las notas se muestran sin nombres.
sust-rounds = Rondas
sust-rounds-none = Todavía no hay rondas de autodiagnóstico.
sust-round = Ronda
sust-round-dates = Del { $opens } al { $closes }
sust-status-open = Abierta
sust-status-upcoming = Próxima
sust-status-closed = Cerrada
sust-respondents-count = { $count ->
    [one] 1 persona calificó
   *[other] { $count } personas calificaron
}
sust-rate = Calificar
sust-trend = Cambio entre rondas
sust-trend-hint = Promedio de cada dimensión por ronda (de 0 a 4); entre paréntesis, el cambio respecto a la ronda anterior.
sust-trend-caption = Promedio por dimensión y ronda
sust-n = Personas
sust-actions = Compromisos
sust-actions-hint = Las brechas del autodiagnóstico se convierten en compromisos con una persona responsable y una fecha límite.
sust-actions-none = Todavía no hay compromisos.
sust-actions-none-round = Esta ronda todavía no tiene compromisos.
sust-action-status-open = Pendiente
sust-action-status-done = Cumplido
sust-action-owner = Responsable: { $name }
sust-action-due = Fecha límite: { $date }
sust-action-mark-done = Marcar como cumplido
sust-action-reopen = Reabrir
sust-new-round = Abrir una ronda
sust-field-title = Título de la ronda
sust-field-opens = Abre el
sust-field-closes = Cierra el
sust-open-round = Abrir la ronda
sust-error-closes-before = La fecha de cierre no puede ser anterior a la de apertura.
sust-error-not-open = Esta ronda no está abierta: solo se puede calificar entre sus fechas de apertura y cierre.
sust-radar-title = Radar de sostenibilidad: { $round }
sust-by-dimension = Resultados por dimensión
sust-no-ratings = Nadie ha calificado todavía esta ronda.
sust-compared-with = La línea punteada es la ronda anterior: { $round }.
sust-dimension-caption = Cifras por dimensión (de 0 a 4): promedio de lo que calificó cada persona en la dimensión
sust-dimension = Dimensión
sust-criterion = Criterio
sust-mean = Promedio
sust-median = Mediana
sust-min-max = Mín.–máx.
sust-spread = Dispersión (desv. est.)
sust-previous = Ronda anterior
sust-change = Cambio
sust-no-consensus = Sin consenso: conversémoslo
sust-spread-hint = Marcamos «sin consenso» cuando las calificaciones están separadas por { $range } etapas o más. La dispersión es la desviación estándar de las calificaciones.
sust-criteria-caption = Cifras por criterio: { $dimension }
sust-make-action = Convertir en compromiso
sust-make-action-title = Convertir una brecha en compromiso
sust-make-action-hint = Elige el criterio, describe qué se hará y asigna a una persona de la comunidad como responsable.
sust-evidence-of = Evidencia y notas del criterio { $number } ({ $count })
sust-field-item = Criterio
sust-field-action-title = ¿Qué se hará?
sust-field-owner = Responsable
sust-field-due = Fecha límite
sust-create-action = Crear compromiso
sust-not-rated = Sin calificar
sust-saved = Guardamos tus respuestas. Puedes volver y cambiarlas mientras la ronda esté abierta.
sust-rate-hint = Elige la etapa que mejor describe hoy a la comunidad en cada criterio. Agrega la evidencia que la respalda (un documento, un acuerdo, un ejemplo) y, si quieres, una nota. Puedes guardar y volver después.
sust-stages = ¿Qué significa cada etapa?
sust-stage-hint-0 = Todavía no existe en la comunidad.
sust-stage-hint-1 = Hay primeros intentos, aislados o informales.
sust-stage-hint-2 = Ya se practica, pero no en todo ni de forma constante.
sust-stage-hint-3 = Se practica de manera regular y la mayoría lo conoce.
sust-stage-hint-4 = Es parte de cómo funciona la comunidad: está documentado y no depende de una sola persona.
sust-field-evidence = Evidencia
sust-field-note = Nota
sust-save = Guardar mis respuestas

## Audit log
audit-sustainability-round-opened = Ronda de autodiagnóstico abierta
audit-sustainability-action-created = Compromiso de sostenibilidad creado
audit-sustainability-action-status = Estado de compromiso de sostenibilidad cambiado
