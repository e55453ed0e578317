# Rotación de roles: ver crates/tejido-web/src/features/rotation.rs.

rotation-title = Rotación de roles
rotation-intro = Para cada rol que puede rotar (líder, facilitador(a), relator(a), guardián(a) del tiempo), la comunidad decide si rota entre personas, entre organizaciones integrantes o si se mantiene con quien lo tiene. Tejido propone los próximos seis turnos de forma justa: primero quien lo ha tenido menos veces y hace más tiempo, saltando a quien pidió no tomarlo o no tiene la habilidad que el rol pide.
rotation-key-consideration-title = Para tomar en cuenta:
rotation-key-consideration = Decidan desde el inicio, y por escrito en la carta, si el liderazgo rota o si alguna organización lo conserva por su experiencia. Elijan a quien facilita por sus habilidades, pero también den el turno a quien quiere aprender: facilitar es una forma de fortalecer capacidades.
rotation-lesson-title = Lo que aprendimos:
rotation-lesson = Pasar de una comunidad convocada desde fuera a una que se gobierna sola cuesta trabajo, y las reglas de gobierno no aparecen solas: hay que dedicarles tiempo y escucha. Rotar la relatoría repartió el trabajo de documentar y llevó lo aprendido a más personas de cada organización.

rotation-holder = Lo tiene ahora
rotation-nobody-holds = Nadie por ahora
rotation-policy = Regla
rotation-no-policy = Sin regla todavía: quien coordina puede elegir una.
rotation-mode-people = Rota entre personas
rotation-mode-organizations = Rota entre organizaciones
rotation-mode-continuity = Continuidad (no rota)
rotation-term-days = turnos de { $days } días
rotation-needs-skill = requiere: { $skill }
rotation-next-turns = Próximos turnos
rotation-nobody-eligible = Nadie puede tomar el próximo turno: revisen quién se excluyó y qué habilidad se pide.
rotation-pending-swaps = Intercambios acordados
rotation-continuity-note = El rol se mantiene con quien lo tiene hasta que la comunidad decida otra cosa.

rotation-handover-hint = Termina el periodo actual y entrega el rol a quien sigue en la lista.
rotation-handover-to = Entregar el rol a { $name }
rotation-policy-title = Regla de rotación
rotation-policy-hint = Rotar o mantener el rol es una decisión de la comunidad; conviene que quede en la carta.
rotation-field-mode = Cómo se asigna
rotation-field-required-skill = Habilidad requerida (opcional)
rotation-field-term-days = Duración de cada turno, en días
rotation-save-policy = Guardar regla
rotation-swap-title = Intercambiar turnos por acuerdo
rotation-swap-hint = Si dos personas u organizaciones acuerdan intercambiar su próximo turno, regístrenlo aquí; el acuerdo queda también en el registro de acuerdos.
rotation-field-swap-a = Quien cede su turno
rotation-field-swap-b = Quien lo toma a cambio
rotation-field-swap-note = Nota del acuerdo (opcional)
rotation-record-swap = Registrar intercambio
rotation-swap-decision = { $a } y { $b } intercambian su próximo turno

rotation-my-preferences = Mis preferencias
rotation-opt-out-legend = Prefiero no tomar estos roles
rotation-opt-out-hint = Quien se excluye de un rol no aparece en sus turnos.
rotation-field-skills = Habilidades
rotation-skills-hint = Separadas por comas, por ejemplo: facilitación, relatoría, lengua de señas.
rotation-save-preferences = Guardar preferencias
rotation-preferences-title = Preferencias de rotación
rotation-preferences-hint = Quién se excluye de qué rol y qué habilidades ofrece.
rotation-preferences-of = Preferencias de { $name }
rotation-no-preferences = Sin preferencias registradas
rotation-opted-out = Se excluye de
rotation-edit = Editar
rotation-edit-preferences-of = Editar las preferencias de { $name }
rotation-kind-person = Persona
rotation-kind-organization = Organización

rotation-error-term-days = Escribe un número de días entre 1 y 366.
rotation-error-too-many-skills = Anota como máximo 20 habilidades.
rotation-error-swap = Ese intercambio no es posible: las dos partes deben tener un turno próximo y nadie puede quedar con dos turnos seguidos.
rotation-error-not-rotating = Este rol no rota: primero elijan una regla de rotación.
rotation-error-nobody = No hay a quién entregar el rol.
