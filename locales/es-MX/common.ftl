# Layout, navigation, shared words and errors.
skip-to-content = Saltar al contenido
nav-main = Navegación principal
nav-home = Inicio
nav-communities = Comunidades
nav-directory = Directorio
nav-account = Mi cuenta
nav-admin = Administración
nav-sign-in = Iniciar sesión
nav-sign-out = Cerrar sesión
language = Idioma
footer-tagline = Tejido: comunidades de aprendizaje de la sociedad civil.
back-home = Volver al inicio
pager-label = Paginación
pager-prev = Anterior
pager-next = Siguiente
pager-status = Página { $page } de { $pages }
choose-none = — Sin especificar —
form-has-errors = Revisa los campos marcados; no se guardó nada.
save = Guardar
cancel = Cancelar
edit = Editar
archive = Archivar
restore = Restaurar
search = Buscar
search-by-name = Buscar por nombre
filter-all = Todos
results-count = { $count ->
    [one] 1 resultado
   *[other] { $count } resultados
}
none-yet = Todavía no hay nada aquí.
no-results = Sin resultados.
see-all = Ver todo
add = Agregar
remove = Quitar
add-named = Agregar a { $name }
remove-named = Quitar a { $name }
organization = Organización
person = Persona
field-name = Nombre
field-email = Correo electrónico
field-themes = Temas
themes-hint = Separa los temas con comas.
field-description = Descripción
count-organizations = { $count ->
    [one] 1 organización
   *[other] { $count } organizaciones
}
count-people = { $count ->
    [one] 1 persona
   *[other] { $count } personas
}
since-date = desde el { $date }
expires-date = vence el { $date }
joined-date = se unió el { $date }
left-date = salió el { $date }
home-title = Inicio
home-greeting = Hola, { $name }
home-my-communities = Mis comunidades
home-no-communities = Aún no formas parte de ninguna comunidad. Cuando te inviten, aparecerá aquí.
home-all-communities = Ver todas las comunidades
welcome-title = Bienvenida a Tejido
welcome-lead = Un espacio para que las organizaciones de la sociedad civil se reúnan, aprendan juntas y fortalezcan sus alianzas.
month-01 = ene
month-02 = feb
month-03 = mar
month-04 = abr
month-05 = may
month-06 = jun
month-07 = jul
month-08 = ago
month-09 = sep
month-10 = oct
month-11 = nov
month-12 = dic
error-required = Este campo es obligatorio.
error-too-long = El texto es demasiado largo.
error-invalid-choice = Elige una opción de la lista.
error-url = Escribe una dirección web completa que empiece con https://
error-email = Escribe un correo electrónico válido, por ejemplo nombre@organizacion.org
error-email-taken = Ya existe una cuenta con ese correo.
error-password-short = La contraseña debe tener al menos 10 caracteres.
error-password-mismatch = Las contraseñas no coinciden.
error-last-manager = No se puede: la comunidad se quedaría sin nadie que la coordine (líder, colíder o convocante).
error-not-found = No encontramos lo que buscas, o ya no existe.
error-not-found-title = No encontrado
error-unauthorized = Necesitas iniciar sesión para ver esta página.
error-unauthorized-title = Inicia sesión
error-forbidden = No tienes permiso para hacer esto. Si crees que es un error, pide ayuda a quien coordina tu comunidad.
error-forbidden-title = Sin permiso
error-csrf = El formulario venció o no vino de Tejido. Vuelve a la página, recárgala e inténtalo de nuevo.
error-csrf-title = Formulario no válido
error-too-many = Demasiados intentos. Espera unos minutos e inténtalo de nuevo.
error-too-many-title = Demasiados intentos
error-bad-request = La solicitud no es válida.
error-bad-request-title = Solicitud no válida
error-validation = Algunos datos no son válidos.
error-validation-title = Datos no válidos
error-internal = Algo falló de nuestro lado. No se perdió nada de lo guardado; inténtalo de nuevo en un momento.
error-internal-title = Error del servidor
error-date = Escribe una fecha válida (año-mes-día).
error-count = Escribe un número entero entre 0 y 100,000.
home-my-items = Mis compromisos pendientes
home-no-items = No tienes compromisos pendientes.
home-item-due = fecha límite { $date }
