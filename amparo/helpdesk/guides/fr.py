# ruff: noqa: E501 - prose: each Markdown paragraph and list item is one line
"""Les guides en français."""

TEXTS = {
    "phone-seized": (
        "Que faire si l'on vous prend votre téléphone",
        "La première heure compte : protégez les personnes de vos contacts et vos comptes.",
        """La personne qui détient votre téléphone peut lire vos messages et écrire à tous vos contacts comme si c'était vous. Dans un cas, toute la liste de contacts d'une défenseure a reçu des menaces après qu'on lui a arraché son téléphone. Agissez vite, dans cet ordre.

## Tout de suite

1. **Verrouillez votre compte Amparo.** Si vous n'avez pas d'ordinateur sous la main, demandez à votre contact de confiance de le faire avec le code de verrouillage que vous lui avez donné. Toutes les sessions se ferment et vos clés ne marchent plus sur ce téléphone.
2. **Prévenez vos contacts proches** depuis un autre téléphone : les messages « de vous » peuvent ne pas venir de vous. Ne dites pas où vous êtes.
3. **Changez les mots de passe** de votre messagerie électronique d'abord, puis de vos applications de messagerie et réseaux sociaux, depuis un appareil de confiance. Votre adresse e-mail permet de réinitialiser tous les autres.

## Dans les heures qui suivent

4. **Déconnectez les autres appareils.** La plupart des applications montrent les « appareils associés » ou « sessions actives » : fermez-les toutes.
5. **Demandez à votre opérateur** de bloquer la carte SIM, pour que personne ne reçoive vos codes par SMS.
6. **Notez ce qui s'est passé** : quand, où, qui l'a pris. Votre équipe peut le documenter comme une attaque.

## Plus tard

7. Si l'on vous rend le téléphone, demandez conseil au service d'aide avant de vous en servir : il peut contenir un logiciel espion.
""",
    ),
    "lock-your-phone": (
        "Verrouiller votre téléphone",
        "Un bon verrouillage d'écran et le chiffrement gardent votre téléphone fermé à qui le ramasse.",
        """Un téléphone sans verrouillage s'ouvre à quiconque le tient une minute. Un bon verrouillage active aussi le chiffrement du téléphone.

1. Ouvrez **Paramètres → Sécurité** (ou **Face ID et code** sur un iPhone).
2. Choisissez un **code d'au moins 6 chiffres** ou une phrase secrète. Évitez les dates d'anniversaire et les schémas : un schéma se devine aux traces de doigts sur l'écran.
3. Réglez l'écran pour qu'il se verrouille **après 30 secondes** ou une minute.
4. Masquez le contenu des notifications sur l'écran verrouillé, pour qu'on ne puisse pas lire vos messages sans déverrouiller.
5. Sur Android, vérifiez dans **Sécurité → Chiffrement** que le téléphone est chiffré (les téléphones récents le sont dès qu'un code est défini).
6. Apprenez le raccourci de **verrouillage renforcé** de votre téléphone (sur certains, un appui long sur le bouton marche) qui coupe l'empreinte et le visage jusqu'à ce que le code soit tapé. Utilisez-le avant un contrôle ou une manifestation.

Essayez maintenant : verrouillez le téléphone et ouvrez-le avec votre nouveau code.
""",
    ),
    "two-step-login": (
        "La connexion en deux étapes",
        "Un mot de passe seul peut être volé. Une deuxième étape garde votre compte fermé malgré tout.",
        """Avec la connexion en deux étapes, il faut votre mot de passe **et** un code venant d'un objet que vous avez sur vous. Un mot de passe volé ne suffit plus.

1. Installez une **application d'authentification** (par exemple Aegis sur Android, ou une autre application TOTP de confiance) sur votre téléphone.
2. Dans votre compte e-mail, ouvrez **Sécurité** et cherchez la **validation en deux étapes** (aussi appelée 2FA).
3. Choisissez **application d'authentification** plutôt que SMS : un SMS peut être détourné par qui contrôle votre carte SIM.
4. Scannez avec l'application le code carré affiché à l'écran, puis tapez le code à 6 chiffres qu'elle affiche.
5. **Notez les codes de secours** sur papier et gardez-les en lieu sûr, loin du téléphone. Ils vous permettent d'entrer si vous perdez le téléphone.
6. Faites de même pour vos comptes de messagerie et de réseaux sociaux, en commençant par ceux que l'on utilise pour vous joindre.

Si quelqu'un vous demande un code par message ou par téléphone, c'est une attaque : personne de légitime n'en a besoin.
""",
    ),
    "spot-phishing": (
        "Repérer l'hameçonnage",
        "Reconnaître un message qui veut votre mot de passe ou veut vous faire ouvrir un fichier.",
        """Beaucoup d'attaques contre les défenseures commencent par un seul message : un lien vers une fausse page de connexion, ou un fichier qui installe un logiciel espion.

## Regardez avant de toucher

1. **Qui l'a vraiment envoyé ?** Vérifiez l'adresse complète, pas seulement le nom affiché. Une lettre changée (rn au lieu de m) est une ruse courante.
2. **Est-ce urgent ou effrayant ?** « Votre compte va être fermé », « Regardez ces photos de vous » : la pression est un signal d'alerte.
3. **Où mène le lien ?** Gardez le doigt dessus (ou survolez-le avec la souris) pour voir la vraie adresse avant de l'ouvrir.
4. **Attendiez-vous ce fichier ?** N'ouvrez pas de documents que vous n'avez pas demandés, même venant d'un nom connu.

## En cas de doute

5. Demandez à l'expéditeur par un autre moyen (un appel, une autre application).
6. Envoyez le message au service d'aide comme demande de *message suspect*. Ne le transférez pas à d'autres.
7. Si vous avez déjà tapé votre mot de passe, changez-le maintenant et activez la connexion en deux étapes.
""",
    ),
    "encrypted-messaging": (
        "La messagerie chiffrée",
        "Choisissez une application chiffrée de bout en bout, et réglez-la pour qu'un téléphone saisi en dise peu.",
        """Le chiffrement de bout en bout veut dire que seules vous et la personne à qui vous écrivez pouvez lire le message, ni l'entreprise ni votre fournisseur d'accès.

1. Utilisez une application chiffrée de bout en bout **par défaut** (Signal en est un exemple très utilisé).
2. Protégez l'application par un **code PIN ou un verrou d'inscription**, pour que personne ne s'empare de votre numéro.
3. Activez les **messages éphémères** pour les conversations sensibles (une semaine, ou un jour).
4. **Vérifiez les numéros de sécurité** avec les personnes avec qui vous parlez de sujets sensibles, en personne ou par un appel.
5. Regardez de temps en temps les **appareils associés** et retirez ceux que vous ne reconnaissez pas.
6. Pensez aux noms : enregistrez les contacts sensibles sous des noms qui ne disent pas qui ils sont.

Le chiffrement protège les messages en chemin. Il ne protège pas un téléphone déverrouillé entre d'autres mains : voyez *Verrouiller votre téléphone*.
""",
    ),
    "safe-backups": (
        "Des sauvegardes sûres",
        "Gardez une copie chiffrée de ce qui compte, ailleurs que sur votre téléphone.",
        """Si votre téléphone ou votre ordinateur est saisi, cassé ou volé, une sauvegarde fait que votre travail n'est pas perdu. Une sauvegarde chiffrée fait que personne d'autre ne la lit.

1. **Choisissez ce qui compte** : documents, photos qui prouvent une attaque, contacts dont vous avez besoin.
2. **Chiffrez** : une clé USB chiffrée, ou un service en ligne dont vous seule détenez la clé. Choisissez une phrase secrète solide et notez-la en lieu sûr.
3. **Gardez la copie ailleurs** : pas dans le même sac ni la même maison que l'appareil.
4. **Prenez l'habitude** : une fois par semaine, ou après chaque événement important, toujours le même jour.
5. **Testez-la** : ouvrez un fichier de la sauvegarde pour être sûre qu'elle marche.
6. **Effacez du téléphone ce dont vous n'avez plus besoin.** Ce qui n'y est pas ne peut pas être pris.
""",
    ),
    "separate-accounts": (
        "Séparer comptes de travail et comptes personnels",
        "Gardez votre militantisme et votre vie privée dans des comptes différents, pour qu'une seule faille n'expose pas les deux.",
        """Quand tout est dans un seul compte, un mot de passe volé ou un téléphone saisi ouvre d'un coup votre travail, votre famille et vos amis.

1. Créez une **adresse e-mail à part** pour votre travail de défenseure.
2. Utilisez-la pour la messagerie et les réseaux sociaux du travail ; gardez les comptes personnels pour la famille et les amis.
3. Donnez à chaque compte **son propre mot de passe** (un gestionnaire de mots de passe aide) et activez la **connexion en deux étapes** sur les deux.
4. Ne mettez ni votre adresse, ni l'école de vos enfants, ni des photos de famille sur vos profils publics de travail.
5. Vérifiez les **paramètres de confidentialité** de chaque profil : qui voit votre liste d'amis et vos photos.
6. Cherchez votre nom en ligne de temps en temps pour voir ce que d'autres peuvent trouver.
""",
    ),
    "travel-with-devices": (
        "Voyager avec ses appareils",
        "Aux frontières et aux contrôles, vos appareils peuvent être fouillés. Préparez-vous avant de partir.",
        """Les gardes-frontières ou la police peuvent vous demander de déverrouiller un téléphone ou un ordinateur. Ce que vous n'emportez pas ne peut pas être lu.

1. **Avant de partir**, faites une sauvegarde (voyez *Des sauvegardes sûres*) et n'emportez que le nécessaire pour le voyage.
2. Pensez à un **téléphone de voyage** avec peu de contacts et sans conversations sensibles.
3. **Déconnectez-vous** des applications et de la messagerie sensibles, et supprimez-les si vous pouvez les réinstaller ensuite.
4. **Éteignez le téléphone** avant une frontière : un téléphone éteint est plus difficile à ouvrir qu'un téléphone seulement verrouillé.
5. Coupez le déverrouillage par empreinte et par visage : on peut vous forcer à toucher ou regarder un téléphone, un code reste dans votre tête.
6. Prévenez un contact de confiance quand vous passez et quand vous arrivez ; convenez de ce qu'elle fera si vous n'appelez pas.
""",
    ),
}
