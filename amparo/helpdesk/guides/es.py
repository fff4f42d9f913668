# ruff: noqa: E501 - prose: each Markdown paragraph and list item is one line
"""Las guías en español."""

TEXTS = {
    "phone-seized": (
        "Qué hacer si te quitan el teléfono",
        "La primera hora cuenta: protege a las personas de tus contactos y tus cuentas.",
        """Quien tiene tu teléfono puede leer tus mensajes y escribir a todos tus contactos como si fueras tú. En un caso, toda la lista de contactos de una defensora recibió amenazas después de que le arrebataran el teléfono. Actúa rápido, en este orden.

## Ahora mismo

1. **Bloquea tu cuenta de Amparo.** Si no tienes una computadora a mano, pide a tu contacto de confianza que lo haga con el código de bloqueo que le diste. Todas las sesiones se cierran y tus claves dejan de funcionar en ese teléfono.
2. **Avisa a tus contactos cercanos** desde otro teléfono: los mensajes «tuyos» pueden no ser tuyos. No digas dónde estás.
3. **Cambia las contraseñas** de tu correo primero, luego de tus aplicaciones de mensajería y redes sociales, desde un dispositivo de confianza. Con tu correo se pueden restablecer todas las demás.

## En las próximas horas

4. **Cierra la sesión en otros dispositivos.** La mayoría de las aplicaciones muestran «dispositivos vinculados» o «sesiones activas»: ciérralas todas.
5. **Pide a tu compañía telefónica** que bloquee la tarjeta SIM, para que nadie reciba tus códigos por SMS.
6. **Anota lo que pasó**: cuándo, dónde, quién se lo llevó. Tu equipo puede documentarlo como una agresión.

## Después

7. Si te devuelven el teléfono, consulta al servicio de ayuda antes de usarlo: puede llevar programas espía.
""",
    ),
    "lock-your-phone": (
        "Bloquear tu teléfono",
        "Un buen bloqueo de pantalla y el cifrado mantienen tu teléfono cerrado para quien lo agarre.",
        """Un teléfono sin bloqueo se abre para cualquiera que lo tenga un minuto en la mano. Un buen bloqueo también activa el cifrado del teléfono.

1. Abre **Ajustes → Seguridad** (o **Face ID y código** en un iPhone).
2. Elige un **PIN de al menos 6 cifras** o una frase de paso. Evita fechas de cumpleaños y patrones: un patrón se puede adivinar por las marcas de los dedos en la pantalla.
3. Haz que la pantalla se bloquee **a los 30 segundos** o al minuto.
4. Oculta el contenido de las notificaciones en la pantalla bloqueada, para que nadie lea mensajes sin desbloquear.
5. En Android, comprueba en **Seguridad → Cifrado** que el teléfono está cifrado (los teléfonos recientes lo están al poner un PIN).
6. Aprende el atajo de **bloqueo** de tu teléfono (en algunos, manteniendo el botón de encendido) que desactiva la huella y la cara hasta que se escriba el PIN. Úsalo antes de un control o de una manifestación.

Pruébalo ahora: bloquea el teléfono y ábrelo con tu nuevo PIN.
""",
    ),
    "two-step-login": (
        "Verificación en dos pasos",
        "Una contraseña sola puede ser robada. Un segundo paso mantiene tu cuenta cerrada de todos modos.",
        """Con la verificación en dos pasos, para entrar hace falta tu contraseña **y** un código de algo que llevas contigo. Una contraseña robada ya no basta.

1. Instala una **aplicación de autenticación** (por ejemplo Aegis en Android, u otra aplicación TOTP de confianza) en tu teléfono.
2. En tu cuenta de correo, abre **Seguridad** y busca la **verificación en dos pasos** (también llamada 2FA).
3. Elige **aplicación de autenticación** en lugar de SMS: un SMS puede ser desviado por quien controla tu tarjeta SIM.
4. Escanea con la aplicación el código cuadrado de la pantalla y escribe el código de 6 cifras que muestra la aplicación.
5. **Anota los códigos de recuperación** en papel y guárdalos en un lugar seguro, lejos del teléfono. Te dejan entrar si pierdes el teléfono.
6. Haz lo mismo con tus cuentas de mensajería y redes sociales, empezando por las que la gente usa para contactarte.

Si alguien te pide un código por mensaje o por teléfono, es un ataque: nadie legítimo lo necesita.
""",
    ),
    "spot-phishing": (
        "Reconocer el phishing",
        "Cómo reconocer un mensaje que quiere tu contraseña o que abras un archivo.",
        """Muchos ataques contra defensoras empiezan con un solo mensaje: un enlace a una página de acceso falsa, o un archivo que instala un programa espía.

## Mira antes de tocar

1. **¿Quién lo envió de verdad?** Revisa la dirección completa, no solo el nombre. Cambiar una letra (rn en vez de m) es un truco frecuente.
2. **¿Es urgente o da miedo?** «Tu cuenta será cerrada», «Mira estas fotos tuyas»: la presión es una señal de alarma.
3. **¿Adónde lleva el enlace?** Mantén el dedo sobre él (o pasa el ratón) para ver la dirección real antes de abrirlo.
4. **¿Esperabas este archivo?** No abras documentos que no pediste, aunque vengan de un nombre conocido.

## Si tienes dudas

5. Pregunta a quien lo envió por otra vía (una llamada, otra aplicación).
6. Envía el mensaje al servicio de ayuda como solicitud de *mensaje sospechoso*. No lo reenvíes a otras personas.
7. Si ya escribiste tu contraseña, cámbiala ahora y activa la verificación en dos pasos.
""",
    ),
    "encrypted-messaging": (
        "Mensajería cifrada",
        "Elige una aplicación con cifrado de extremo a extremo y configúrala para que un teléfono incautado diga poco.",
        """El cifrado de extremo a extremo significa que solo tú y la persona a quien escribes pueden leer el mensaje, no la empresa ni tu proveedor de internet.

1. Usa una aplicación con cifrado de extremo a extremo **activado por defecto** (Signal es un ejemplo muy usado).
2. Protege la aplicación con un **PIN o bloqueo de registro**, para que nadie se quede con tu número.
3. Activa los **mensajes temporales** en las conversaciones delicadas (una semana, o un día).
4. **Verifica los números de seguridad** con las personas con quienes hablas de temas delicados, en persona o por llamada.
5. Revisa de vez en cuando los **dispositivos vinculados** y quita los que no reconozcas.
6. Piensa en los nombres: guarda los contactos delicados con nombres que no revelen quiénes son.

El cifrado protege los mensajes en el camino. No protege un teléfono desbloqueado en manos de otra persona: mira *Bloquear tu teléfono*.
""",
    ),
    "safe-backups": (
        "Copias de seguridad",
        "Guarda una copia cifrada de lo importante en un lugar que no sea tu teléfono.",
        """Si te quitan, se rompe o te roban el teléfono o la computadora, una copia de seguridad hace que tu trabajo no se pierda. Una copia cifrada hace que nadie más la lea.

1. **Elige lo importante**: documentos, fotos que prueban una agresión, contactos que necesitas.
2. **Usa cifrado**: una memoria USB cifrada, o un servicio en la nube donde tú tienes la clave. Pon una frase de paso fuerte y anótala en un lugar seguro.
3. **Guarda la copia en otro sitio**: no en la misma bolsa ni en la misma casa que el dispositivo.
4. **Hazlo un hábito**: una vez por semana, o después de cada hecho importante, siempre el mismo día.
5. **Compruébala**: abre un archivo de la copia para estar segura de que funciona.
6. **Borra del teléfono lo que ya no necesitas.** Lo que no está no se puede llevar.
""",
    ),
    "separate-accounts": (
        "Separar cuentas de trabajo y personales",
        "Mantén tu activismo y tu vida privada en cuentas distintas, para que un solo fallo no exponga ambas.",
        """Cuando todo está en una sola cuenta, una contraseña robada o un teléfono incautado abren a la vez tu trabajo, tu familia y tus amistades.

1. Crea una **dirección de correo aparte** para tu trabajo como defensora.
2. Úsala para la mensajería y las redes sociales del trabajo; deja las personales para la familia y las amistades.
3. Da a cada cuenta **su propia contraseña** (un gestor de contraseñas ayuda) y activa la **verificación en dos pasos** en ambas.
4. No pongas tu domicilio, la escuela de tus hijos ni fotos familiares en tus perfiles públicos de trabajo.
5. Revisa la **configuración de privacidad** de cada perfil: quién puede ver tu lista de amistades y tus fotos.
6. Busca tu nombre en internet de vez en cuando para ver qué pueden encontrar otras personas.
""",
    ),
    "travel-with-devices": (
        "Viajar con dispositivos",
        "En fronteras y controles pueden revisar tus dispositivos. Prepárate antes de salir.",
        """La policía o los guardias de frontera pueden pedirte que desbloquees un teléfono o una computadora. Lo que no llevas no se puede leer.

1. **Antes de salir**, haz una copia de seguridad (mira *Copias de seguridad*) y lleva solo lo que necesitas para el viaje.
2. Piensa en un **teléfono de viaje** con pocos contactos y sin conversaciones delicadas.
3. **Cierra la sesión** en las aplicaciones y el correo delicados, y desinstálalos si puedes volver a instalarlos después.
4. **Apaga el teléfono** antes de una frontera: un teléfono apagado es más difícil de abrir que uno solo bloqueado.
5. Desactiva el desbloqueo con huella y con la cara: te pueden obligar a tocar o mirar un teléfono, un PIN se queda en tu cabeza.
6. Avisa a un contacto de confianza cuando cruces y cuando llegues; acuerden qué hará si no llamas.
""",
    ),
}
