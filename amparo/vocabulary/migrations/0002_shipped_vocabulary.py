"""The default vocabulary that Amparo ships: attack types, perpetrators, risk factors, defender
profiles, rights and themes defended, and gender, each with a stable code and a label in
English, Spanish, French and (Brazilian) Portuguese.

Written for this project from the categories that the field uses (FIELD-NOTES.md, "Documenting
attacks": the UN Special Rapporteur's categories, the Mesoamerican registry of attacks on women
defenders, the HURIDOCS grouping of perpetrators). Labels of profiles use the feminine form
where a language needs a gender, as the networks' own materials do ("defensoras").

Perpetrators: every one is a state actor (True) or not (False), and a narrower term is what its
broader term is. "Unknown perpetrator" is a top-level term with state_actor False: the share of
attacks "linked to the state" counts only terms marked True, so an unknown author is never
counted as the state; a report that wants three columns (state, non-state, unknown) singles out
the subtree of `perpetrator.unknown` (see amparo/vocabulary/rules.py, UNKNOWN_PERPETRATOR).

Forwards creates each shipped term that is missing, by its code, and leaves a term that is
already there as it is (the registry shipped these same terms before the vocabulary had an app
of its own: a database that holds them, perhaps with labels its coordinators changed, keeps
them unchanged). Backwards deletes the shipped codes, and refuses when records
or terms added since still use them: deleting would silently strip those records.
"""

from django.db import migrations

# (code, broader term's code, label en, es, fr, pt); perpetrators also carry state_actor.
ATTACK_TYPES = [
    ("attack.threat", "", "Threats", "Amenazas", "Menaces", "Ameaças"),
    ("attack.threat.death", "attack.threat", "Death threats", "Amenazas de muerte", "Menaces de mort",
     "Ameaças de morte"),
    ("attack.threat.sexual", "attack.threat", "Threats of sexual violence", "Amenazas de violencia sexual",
     "Menaces de violence sexuelle", "Ameaças de violência sexual"),
    ("attack.threat.intimidation", "attack.threat", "Intimidation", "Intimidación", "Intimidation",
     "Intimidação"),
    ("attack.harassment", "", "Harassment", "Hostigamiento", "Harcèlement", "Assédio"),
    ("attack.harassment.stalking", "attack.harassment", "Stalking and being followed",
     "Acecho y seguimiento", "Traque et filature", "Perseguição"),
    ("attack.harassment.psychological", "attack.harassment", "Psychological violence",
     "Violencia psicológica", "Violence psychologique", "Violência psicológica"),
    ("attack.harassment.verbal", "attack.harassment", "Verbal abuse", "Agresiones verbales",
     "Violence verbale", "Violência verbal"),
    ("attack.surveillance", "", "Surveillance", "Vigilancia", "Surveillance", "Vigilância"),
    ("attack.smear", "", "Smear and stigmatisation", "Difamación y estigmatización",
     "Diffamation et stigmatisation", "Difamação e estigmatização"),
    ("attack.smear.campaign", "attack.smear", "Smear campaigns and false information",
     "Campañas de desprestigio e información falsa", "Campagnes de dénigrement et fausses informations",
     "Campanhas de difamação e informações falsas"),
    ("attack.smear.gender", "attack.smear", "Stigmatisation in the name of gender, culture or religion",
     "Estigmatización por género, cultura o religión",
     "Stigmatisation au nom du genre, de la culture ou de la religion",
     "Estigmatização por gênero, cultura ou religião"),
    ("attack.criminalisation", "", "Criminalisation and judicial harassment",
     "Criminalización y hostigamiento judicial", "Criminalisation et harcèlement judiciaire",
     "Criminalização e assédio judicial"),
    ("attack.criminalisation.false_charges", "attack.criminalisation", "False accusations and charges",
     "Acusaciones y cargos falsos", "Fausses accusations et poursuites abusives",
     "Acusações e denúncias falsas"),
    ("attack.criminalisation.unfair_trial", "attack.criminalisation", "Unfair trial", "Juicio injusto",
     "Procès inéquitable", "Julgamento injusto"),
    ("attack.detention", "", "Arbitrary arrest and detention", "Detención arbitraria",
     "Arrestation et détention arbitraires", "Prisão e detenção arbitrárias"),
    ("attack.physical", "", "Physical assault", "Agresión física", "Agression physique", "Agressão física"),
    ("attack.physical.beating", "attack.physical", "Beating", "Golpiza", "Passage à tabac", "Espancamento"),
    ("attack.torture", "", "Torture and ill-treatment", "Tortura y malos tratos",
     "Torture et mauvais traitements", "Tortura e maus-tratos"),
    ("attack.sexual_violence", "", "Sexual violence", "Violencia sexual", "Violence sexuelle",
     "Violência sexual"),
    ("attack.sexual_violence.rape", "attack.sexual_violence", "Rape", "Violación", "Viol", "Estupro"),
    ("attack.sexual_violence.harassment", "attack.sexual_violence", "Sexual harassment", "Acoso sexual",
     "Harcèlement sexuel", "Assédio sexual"),
    ("attack.killing", "", "Killing", "Asesinato", "Meurtre", "Assassinato"),
    ("attack.killing.femicide", "attack.killing", "Femicide", "Feminicidio", "Féminicide", "Feminicídio"),
    ("attack.attempted_killing", "", "Attempted killing", "Intento de asesinato", "Tentative de meurtre",
     "Tentativa de assassinato"),
    ("attack.attempted_killing.femicide", "attack.attempted_killing", "Attempted femicide",
     "Intento de feminicidio", "Tentative de féminicide", "Tentativa de feminicídio"),
    ("attack.disappearance", "", "Enforced disappearance", "Desaparición forzada", "Disparition forcée",
     "Desaparecimento forçado"),
    ("attack.displacement", "", "Forced displacement", "Desplazamiento forzado", "Déplacement forcé",
     "Deslocamento forçado"),
    ("attack.displacement.eviction", "attack.displacement", "Forced eviction", "Desalojo forzoso",
     "Expulsion forcée", "Despejo forçado"),
    ("attack.displacement.exile", "attack.displacement", "Forced exile", "Exilio forzado", "Exil forcé",
     "Exílio forçado"),
    ("attack.raid", "", "Raids and seizure of equipment", "Allanamientos y decomiso de equipos",
     "Perquisitions et saisie de matériel", "Batidas e apreensão de equipamentos"),
    ("attack.raid.premises", "attack.raid", "Raid on an office or a home", "Allanamiento de oficina o vivienda",
     "Perquisition d'un bureau ou d'un domicile", "Invasão de escritório ou de casa"),
    ("attack.raid.seizure", "attack.raid", "Seizure of equipment", "Decomiso de equipos", "Saisie de matériel",
     "Apreensão de equipamentos"),
    ("attack.raid.break_in", "attack.raid", "Break-in and theft", "Robo con allanamiento", "Cambriolage",
     "Arrombamento e furto"),
    ("attack.relatives", "", "Attacks on relatives", "Ataques a familiares", "Attaques contre des proches",
     "Ataques a familiares"),
    ("attack.relatives.children", "attack.relatives", "Attacks on children", "Ataques a hijas e hijos",
     "Attaques contre les enfants", "Ataques a filhas e filhos"),
    ("attack.restriction", "", "Restrictions on fundamental freedoms",
     "Restricciones a las libertades fundamentales", "Restrictions des libertés fondamentales",
     "Restrições às liberdades fundamentais"),
    ("attack.restriction.movement", "attack.restriction", "Restrictions on freedom of movement",
     "Restricciones a la libertad de circulación", "Restrictions à la liberté de circulation",
     "Restrições à liberdade de locomoção"),
    ("attack.restriction.expression", "attack.restriction", "Restrictions on freedom of expression",
     "Restricciones a la libertad de expresión", "Restrictions à la liberté d'expression",
     "Restrições à liberdade de expressão"),
    ("attack.restriction.association", "attack.restriction", "Restrictions on freedom of association",
     "Restricciones a la libertad de asociación", "Restrictions à la liberté d'association",
     "Restrições à liberdade de associação"),
    ("attack.restriction.assembly", "attack.restriction", "Restrictions on peaceful assembly",
     "Restricciones a la reunión pacífica", "Restrictions à la réunion pacifique",
     "Restrições à reunião pacífica"),
    ("attack.online", "", "Online attacks", "Ataques digitales", "Attaques en ligne", "Ataques digitais"),
    ("attack.online.hacking", "attack.online", "Hacking of accounts or devices",
     "Hackeo de cuentas o dispositivos", "Piratage de comptes ou d'appareils",
     "Invasão de contas ou dispositivos"),
    ("attack.online.doxxing", "attack.online", "Doxxing (publishing personal data)",
     "Doxxing (publicación de datos personales)", "Doxxing (divulgation de données personnelles)",
     "Doxxing (exposição de dados pessoais)"),
    ("attack.online.leak", "attack.online", "Leak of sensitive information", "Filtración de información sensible",
     "Fuite d'informations sensibles", "Vazamento de informações sensíveis"),
    ("attack.online.harassment", "attack.online", "Online harassment and threats", "Acoso y amenazas en línea",
     "Harcèlement et menaces en ligne", "Assédio e ameaças na internet"),
    ("attack.online.impersonation", "attack.online", "Impersonation and fake accounts",
     "Suplantación de identidad y cuentas falsas", "Usurpation d'identité et faux comptes",
     "Falsificação de identidade e perfis falsos"),
    ("attack.online.sextortion", "attack.online", "Sextortion and blackmail", "Sextorsión y chantaje",
     "Sextorsion et chantage", "Sextorsão e chantagem"),
    ("attack.online.spyware", "attack.online", "Digital surveillance and spyware",
     "Vigilancia digital y programas espía", "Surveillance numérique et logiciels espions",
     "Vigilância digital e programas espiões"),
    ("attack.online.censorship", "attack.online", "Censorship, blocking and account suspension",
     "Censura, bloqueos y suspensión de cuentas", "Censure, blocage et suspension de comptes",
     "Censura, bloqueio e suspensão de contas"),
    ("attack.other", "", "Another kind of attack", "Otro tipo de ataque", "Autre type d'attaque",
     "Outro tipo de ataque"),
]

# (code, broader term, state_actor, labels): a narrower term is what its broader term is.
PERPETRATORS = [
    ("perpetrator.state", "", True, "State actors", "Actores estatales", "Acteurs étatiques",
     "Agentes do Estado"),
    ("perpetrator.state.police", "perpetrator.state", True, "Police", "Policía", "Police", "Polícia"),
    ("perpetrator.state.military", "perpetrator.state", True, "Armed forces", "Fuerzas armadas", "Forces armées",
     "Forças Armadas"),
    ("perpetrator.state.intelligence", "perpetrator.state", True, "Intelligence services",
     "Servicios de inteligencia", "Services de renseignement", "Serviços de inteligência"),
    ("perpetrator.state.judiciary", "perpetrator.state", True, "Judiciary and prosecutors",
     "Poder judicial y fiscalía", "Justice et parquet", "Judiciário e Ministério Público"),
    ("perpetrator.state.official", "perpetrator.state", True, "Public officials", "Funcionarios públicos",
     "Agents publics", "Agentes públicos"),
    ("perpetrator.state.local", "perpetrator.state", True, "Local authorities", "Autoridades locales",
     "Autorités locales", "Autoridades locais"),
    ("perpetrator.state.prison", "perpetrator.state", True, "Prison staff", "Personal penitenciario",
     "Personnel pénitentiaire", "Agentes penitenciários"),
    ("perpetrator.state.occupying", "perpetrator.state", True, "Occupying forces", "Fuerzas de ocupación",
     "Forces d'occupation", "Forças de ocupação"),
    ("perpetrator.non_state", "", False, "Non-state actors", "Actores no estatales", "Acteurs non étatiques",
     "Agentes não estatais"),
    ("perpetrator.non_state.organised_crime", "perpetrator.non_state", False, "Organised crime",
     "Crimen organizado", "Crime organisé", "Crime organizado"),
    ("perpetrator.non_state.armed_group", "perpetrator.non_state", False, "Armed groups", "Grupos armados",
     "Groupes armés", "Grupos armados"),
    ("perpetrator.non_state.armed_group.paramilitary", "perpetrator.non_state.armed_group", False,
     "Paramilitary groups and militias", "Grupos paramilitares y milicias", "Groupes paramilitaires et milices",
     "Grupos paramilitares e milícias"),
    ("perpetrator.non_state.armed_group.insurgent", "perpetrator.non_state.armed_group", False,
     "Insurgent and guerrilla groups", "Grupos insurgentes y guerrillas", "Groupes insurgés et guérillas",
     "Grupos insurgentes e guerrilhas"),
    ("perpetrator.non_state.company", "perpetrator.non_state", False, "Companies", "Empresas", "Entreprises",
     "Empresas"),
    ("perpetrator.non_state.company.security", "perpetrator.non_state.company", False, "Private security",
     "Seguridad privada", "Sécurité privée", "Segurança privada"),
    ("perpetrator.non_state.company.extractive", "perpetrator.non_state.company", False,
     "Mining, oil and energy companies", "Empresas mineras, petroleras y energéticas",
     "Entreprises minières, pétrolières et énergétiques", "Empresas de mineração, petróleo e energia"),
    ("perpetrator.non_state.company.agribusiness", "perpetrator.non_state.company", False, "Agribusiness",
     "Agronegocio", "Agro-industrie", "Agronegócio"),
    ("perpetrator.non_state.landowner", "perpetrator.non_state", False, "Landowners", "Terratenientes",
     "Grands propriétaires fonciers", "Fazendeiros e latifundiários"),
    ("perpetrator.non_state.family", "perpetrator.non_state", False, "Family members", "Familiares",
     "Membres de la famille", "Familiares"),
    ("perpetrator.non_state.family.partner", "perpetrator.non_state.family", False,
     "Partner or former partner", "Pareja o expareja", "Partenaire ou ex-partenaire",
     "Parceiro ou ex-parceiro"),
    ("perpetrator.non_state.community", "perpetrator.non_state", False, "Community members",
     "Miembros de la comunidad", "Membres de la communauté", "Membros da comunidade"),
    ("perpetrator.non_state.religious", "perpetrator.non_state", False, "Religious groups and leaders",
     "Grupos y líderes religiosos", "Groupes et responsables religieux", "Grupos e líderes religiosos"),
    ("perpetrator.non_state.anti_rights", "perpetrator.non_state", False, "Anti-rights and fundamentalist groups",
     "Grupos antiderechos y fundamentalistas", "Groupes anti-droits et fondamentalistes",
     "Grupos antidireitos e fundamentalistas"),
    ("perpetrator.non_state.political", "perpetrator.non_state", False, "Political parties and groups",
     "Partidos y grupos políticos", "Partis et groupes politiques", "Partidos e grupos políticos"),
    ("perpetrator.non_state.media", "perpetrator.non_state", False, "Media", "Medios de comunicación", "Médias",
     "Meios de comunicação"),
    ("perpetrator.non_state.individual", "perpetrator.non_state", False, "Private individuals", "Particulares",
     "Particuliers", "Particulares"),
    # Not state-linked in statistics; see the module docstring.
    ("perpetrator.unknown", "", False, "Unknown perpetrator", "Autoría desconocida", "Auteur inconnu",
     "Autoria desconhecida"),
    ("perpetrator.unknown.in_person", "perpetrator.unknown", False, "Unidentified people, in person",
     "Personas no identificadas, en persona", "Personnes non identifiées, en personne",
     "Pessoas não identificadas, presencialmente"),
    ("perpetrator.unknown.online", "perpetrator.unknown", False, "Unidentified people, online",
     "Personas no identificadas, en línea", "Personnes non identifiées, en ligne",
     "Pessoas não identificadas, na internet"),
]

# Grouped as the risk formula reads them (threats × vulnerabilities ÷ capacities).
RISK_FACTORS = [
    ("risk.history", "", "History of attacks", "Historial de ataques", "Antécédents d'attaques",
     "Histórico de ataques"),
    ("risk.history.previous_threats", "risk.history", "Previous threats or attacks",
     "Amenazas o ataques previos", "Menaces ou attaques antérieures", "Ameaças ou ataques anteriores"),
    ("risk.history.impunity", "risk.history", "Impunity for earlier attacks", "Impunidad de ataques anteriores",
     "Impunité des attaques précédentes", "Impunidade de ataques anteriores"),
    ("risk.history.charges", "risk.history", "Criminal proceedings under way", "Procesos penales en curso",
     "Poursuites pénales en cours", "Processos criminais em andamento"),
    ("risk.context", "", "Context of the place", "Contexto del lugar", "Contexte du lieu", "Contexto do local"),
    ("risk.context.militarised", "risk.context", "Working in a militarised area",
     "Trabajo en una zona militarizada", "Travail dans une zone militarisée", "Atuação em área militarizada"),
    ("risk.context.armed_conflict", "risk.context", "Armed conflict in the area", "Conflicto armado en la zona",
     "Conflit armé dans la zone", "Conflito armado na região"),
    ("risk.context.organised_crime", "risk.context", "Presence of organised crime",
     "Presencia del crimen organizado", "Présence du crime organisé", "Presença do crime organizado"),
    ("risk.context.megaproject", "risk.context", "Megaprojects or extractive activity nearby",
     "Megaproyectos o actividades extractivas cercanas", "Mégaprojets ou activités extractives à proximité",
     "Megaprojetos ou atividades extrativas próximas"),
    ("risk.context.rural", "risk.context", "Rural or remote area", "Zona rural o remota",
     "Zone rurale ou isolée", "Zona rural ou remota"),
    ("risk.context.stigma_authorities", "risk.context", "Stigmatisation by authorities",
     "Estigmatización por parte de autoridades", "Stigmatisation par les autorités",
     "Estigmatização por parte de autoridades"),
    ("risk.context.elections", "risk.context", "Election period", "Período electoral", "Période électorale",
     "Período eleitoral"),
    ("risk.context.emergency_laws", "risk.context", "State of emergency or restrictive laws",
     "Estado de excepción o leyes restrictivas", "État d'urgence ou lois restrictives",
     "Estado de exceção ou leis restritivas"),
    ("risk.situation", "", "Personal situation", "Situación personal", "Situation personnelle",
     "Situação pessoal"),
    ("risk.situation.isolation", "risk.situation", "Isolation", "Aislamiento", "Isolement", "Isolamento"),
    ("risk.situation.single_mother", "risk.situation", "Single mother", "Madre soltera", "Mère seule",
     "Mãe solo"),
    ("risk.situation.caregiver", "risk.situation", "Caring for children or dependants",
     "Cuida de hijos u otras personas a su cargo", "Charge d'enfants ou de proches dépendants",
     "Responsável por filhos ou dependentes"),
    ("risk.situation.public_visibility", "risk.situation", "High public visibility", "Alta visibilidad pública",
     "Forte visibilité publique", "Alta visibilidade pública"),
    ("risk.situation.economic", "risk.situation", "Economic insecurity", "Precariedad económica",
     "Précarité économique", "Precariedade econômica"),
    ("risk.situation.migrant", "risk.situation", "Migrant, refugee or displaced",
     "Migrante, refugiada o desplazada", "Migrante, réfugiée ou déplacée", "Migrante, refugiada ou deslocada"),
    ("risk.situation.health", "risk.situation", "Health condition or disability",
     "Problemas de salud o discapacidad", "Problème de santé ou handicap", "Problema de saúde ou deficiência"),
    ("risk.situation.family_opposition", "risk.situation", "Family or community opposes her work",
     "La familia o la comunidad se opone a su labor", "La famille ou la communauté s'oppose à son action",
     "A família ou a comunidade se opõe ao seu trabalho"),
    ("risk.protection", "", "Lack of protection", "Falta de protección", "Manque de protection",
     "Falta de proteção"),
    ("risk.protection.none", "risk.protection", "No protection measures", "Sin medidas de protección",
     "Aucune mesure de protection", "Sem medidas de proteção"),
    ("risk.protection.not_applied", "risk.protection", "Protection measures granted but not applied",
     "Medidas de protección otorgadas pero no aplicadas", "Mesures de protection accordées mais non appliquées",
     "Medidas de proteção concedidas, mas não aplicadas"),
    ("risk.protection.no_network", "risk.protection", "No support network or organisation",
     "Sin red de apoyo ni organización", "Sans réseau de soutien ni organisation",
     "Sem rede de apoio nem organização"),
    ("risk.protection.digital", "risk.protection", "Weak digital security", "Seguridad digital débil",
     "Sécurité numérique faible", "Segurança digital frágil"),
]

PROFILES = [
    ("profile.indigenous", "", "Indigenous", "Indígena", "Autochtone", "Indígena"),
    ("profile.afrodescendant", "", "Afro-descendant", "Afrodescendiente", "Afrodescendante",
     "Negra ou afrodescendente"),
    ("profile.afrodescendant.quilombola", "profile.afrodescendant", "Quilombola or maroon community",
     "Quilombola o comunidad cimarrona", "Quilombola ou communauté marronne", "Quilombola"),
    ("profile.peasant", "", "Peasant or rural worker", "Campesina o trabajadora rural",
     "Paysanne ou travailleuse agricole", "Camponesa ou trabalhadora rural"),
    ("profile.lgbtiq", "", "LGBTIQ+", "LGBTIQ+", "LGBTIQ+", "LGBTIQ+"),
    ("profile.land_environment", "", "Land and environment defender",
     "Defensora de la tierra y el medio ambiente", "Défenseure de la terre et de l'environnement",
     "Defensora da terra e do meio ambiente"),
    ("profile.srhr", "", "Sexual and reproductive rights defender",
     "Defensora de derechos sexuales y reproductivos", "Défenseure des droits sexuels et reproductifs",
     "Defensora dos direitos sexuais e reprodutivos"),
    ("profile.womens_rights", "", "Women's rights defender", "Defensora de los derechos de las mujeres",
     "Défenseure des droits des femmes", "Defensora dos direitos das mulheres"),
    ("profile.journalist", "", "Journalist or communicator", "Periodista o comunicadora",
     "Journaliste ou communicante", "Jornalista ou comunicadora"),
    ("profile.journalist.community_media", "profile.journalist", "Community radio or media",
     "Radio o medio comunitario", "Radio ou média communautaire", "Rádio ou mídia comunitária"),
    ("profile.trade_unionist", "", "Trade unionist", "Sindicalista", "Syndicaliste", "Sindicalista"),
    ("profile.lawyer", "", "Lawyer", "Abogada", "Avocate", "Advogada"),
    ("profile.community_leader", "", "Community leader", "Líder comunitaria", "Leader communautaire",
     "Liderança comunitária"),
    ("profile.educator", "", "Human rights educator", "Educadora en derechos humanos",
     "Éducatrice aux droits humains", "Educadora em direitos humanos"),
    ("profile.searching_relative", "", "Relative searching for the disappeared or for justice",
     "Familiar que busca a personas desaparecidas o justicia",
     "Proche qui recherche des personnes disparues ou demande justice",
     "Familiar em busca de pessoas desaparecidas ou de justiça"),
    ("profile.health_worker", "", "Health worker or midwife", "Trabajadora de la salud o partera",
     "Soignante ou sage-femme", "Profissional de saúde ou parteira"),
    ("profile.sex_worker", "", "Sex worker", "Trabajadora sexual", "Travailleuse du sexe", "Trabalhadora sexual"),
    ("profile.disability", "", "Person with a disability", "Persona con discapacidad",
     "Personne en situation de handicap", "Pessoa com deficiência"),
    ("profile.politics", "", "Woman in politics or public office", "Mujer en la política o en un cargo público",
     "Femme engagée en politique ou élue", "Mulher na política ou em cargo público"),
    ("profile.anticorruption", "", "Anti-corruption activist", "Activista anticorrupción",
     "Militante anticorruption", "Ativista anticorrupção"),
    ("profile.artist", "", "Artist or cultural worker", "Artista o gestora cultural",
     "Artiste ou actrice culturelle", "Artista ou agente cultural"),
    ("profile.student", "", "Student", "Estudiante", "Étudiante", "Estudante"),
    ("profile.other", "", "Another profile", "Otro perfil", "Autre profil", "Outro perfil"),
]

THEMES = [
    ("theme.land", "", "Land and territory", "Tierra y territorio", "Terre et territoire", "Terra e território"),
    ("theme.environment", "", "Environment and climate", "Medio ambiente y clima", "Environnement et climat",
     "Meio ambiente e clima"),
    ("theme.environment.water", "theme.environment", "Water", "Agua", "Eau", "Água"),
    ("theme.womens_rights", "", "Women's rights", "Derechos de las mujeres", "Droits des femmes",
     "Direitos das mulheres"),
    ("theme.womens_rights.violence", "theme.womens_rights", "A life free of violence against women",
     "Una vida libre de violencia para las mujeres", "Lutte contre les violences faites aux femmes",
     "Enfrentamento à violência contra as mulheres"),
    ("theme.womens_rights.srhr", "theme.womens_rights", "Sexual and reproductive rights",
     "Derechos sexuales y reproductivos", "Droits sexuels et reproductifs", "Direitos sexuais e reprodutivos"),
    ("theme.womens_rights.participation", "theme.womens_rights", "Women's political participation",
     "Participación política de las mujeres", "Participation politique des femmes",
     "Participação política das mulheres"),
    ("theme.lgbtiq", "", "LGBTIQ+ rights", "Derechos LGBTIQ+", "Droits des personnes LGBTIQ+",
     "Direitos LGBTIQ+"),
    ("theme.expression", "", "Freedom of expression and information", "Libertad de expresión e información",
     "Liberté d'expression et d'information", "Liberdade de expressão e de informação"),
    ("theme.expression.press", "theme.expression", "Press freedom", "Libertad de prensa", "Liberté de la presse",
     "Liberdade de imprensa"),
    ("theme.expression.digital", "theme.expression", "Digital rights", "Derechos digitales", "Droits numériques",
     "Direitos digitais"),
    ("theme.labour", "", "Labour rights", "Derechos laborales", "Droits des travailleuses et travailleurs",
     "Direitos trabalhistas"),
    ("theme.indigenous", "", "Indigenous peoples' rights", "Derechos de los pueblos indígenas",
     "Droits des peuples autochtones", "Direitos dos povos indígenas"),
    ("theme.afrodescendant", "", "Rights of people of African descent",
     "Derechos de los pueblos afrodescendientes", "Droits des personnes d'ascendance africaine",
     "Direitos da população negra"),
    ("theme.truth_justice", "", "Truth, justice and reparation", "Verdad, justicia y reparación",
     "Vérité, justice et réparation", "Verdade, justiça e reparação"),
    ("theme.truth_justice.disappeared", "theme.truth_justice", "Search for the disappeared",
     "Búsqueda de personas desaparecidas", "Recherche des personnes disparues", "Busca de pessoas desaparecidas"),
    ("theme.anticorruption", "", "Transparency and anti-corruption", "Transparencia y lucha contra la corrupción",
     "Transparence et lutte contre la corruption", "Transparência e combate à corrupção"),
    ("theme.peace", "", "Peacebuilding", "Construcción de paz", "Consolidation de la paix", "Construção da paz"),
    ("theme.democracy", "", "Democracy and political rights", "Democracia y derechos políticos",
     "Démocratie et droits politiques", "Democracia e direitos políticos"),
    ("theme.migration", "", "Rights of migrants and refugees", "Derechos de personas migrantes y refugiadas",
     "Droits des personnes migrantes et réfugiées", "Direitos de pessoas migrantes e refugiadas"),
    ("theme.health", "", "Right to health", "Derecho a la salud", "Droit à la santé", "Direito à saúde"),
    ("theme.education", "", "Right to education", "Derecho a la educación", "Droit à l'éducation",
     "Direito à educação"),
    ("theme.housing", "", "Right to housing", "Derecho a la vivienda", "Droit au logement", "Direito à moradia"),
    ("theme.detention", "", "Rights of people deprived of liberty",
     "Derechos de las personas privadas de libertad", "Droits des personnes privées de liberté",
     "Direitos das pessoas privadas de liberdade"),
    ("theme.disability", "", "Rights of people with disabilities", "Derechos de las personas con discapacidad",
     "Droits des personnes handicapées", "Direitos das pessoas com deficiência"),
    ("theme.other", "", "Another right or theme", "Otro derecho o tema", "Autre droit ou thème",
     "Outro direito ou tema"),
]

GENDERS = [
    ("gender.woman", "", "Woman", "Mujer", "Femme", "Mulher"),
    ("gender.man", "", "Man", "Hombre", "Homme", "Homem"),
    ("gender.trans_woman", "", "Trans woman", "Mujer trans", "Femme trans", "Mulher trans"),
    ("gender.trans_man", "", "Trans man", "Hombre trans", "Homme trans", "Homem trans"),
    ("gender.non_binary", "", "Non-binary", "Persona no binaria", "Personne non binaire", "Pessoa não binária"),
    ("gender.another", "", "Another gender", "Otro género", "Autre genre", "Outro gênero"),
    ("gender.unknown", "", "Not known", "No se sabe", "Inconnu", "Não se sabe"),
]


def shipped() -> list[dict]:
    """Every shipped term as the fields it is stored with, broader terms before narrower ones."""
    terms = []
    blocks = [("attack_type", ATTACK_TYPES), ("risk_factor", RISK_FACTORS), ("profile", PROFILES),
              ("theme", THEMES), ("gender", GENDERS)]
    for kind, rows in blocks:
        for position, (code, parent, en, es, fr, pt) in enumerate(rows, start=1):
            terms.append(dict(kind=kind, code=code, parent=parent, state_actor=None, position=position,
                              label_en=en, label_es=es, label_fr=fr, label_pt=pt))
    for position, (code, parent, state, en, es, fr, pt) in enumerate(PERPETRATORS, start=1):
        terms.append(dict(kind="perpetrator", code=code, parent=parent, state_actor=state, position=position,
                          label_en=en, label_es=es, label_fr=fr, label_pt=pt))
    return terms


def ship(apps, schema_editor):
    Term = apps.get_model("vocabulary", "Term")
    saved = {}
    for fields in shipped():
        values = dict(fields)
        code, parent = values.pop("code"), values.pop("parent")
        values["parent"] = saved[parent] if parent else None
        saved[code], _created = Term.objects.get_or_create(code=code, defaults=values)


def unship(apps, schema_editor):
    Term = apps.get_model("vocabulary", "Term")
    Incident = apps.get_model("registry", "Incident")
    Defender = apps.get_model("registry", "Defender")
    codes = [fields["code"] for fields in shipped()]
    ids = list(Term.objects.filter(code__in=codes).values_list("id", flat=True))
    through = [getattr(Incident, name).through for name in
               ("attack_types", "perpetrators", "risk_factors", "profiles", "victim_genders")]
    used = (
        any(model.objects.filter(term_id__in=ids).exists() for model in through)
        or Defender.profiles.through.objects.filter(term_id__in=ids).exists()
        or Defender.objects.filter(gender_id__in=ids).exists()
    )
    if used or Term.objects.filter(parent_id__in=ids).exclude(id__in=ids).exists():
        raise RuntimeError(
            "The shipped vocabulary is in use (by records, or as the broader term of terms added "
            "since): unshipping it would strip those records. Retire terms instead."
        )
    for code in reversed(codes):  # narrower terms first: a broader term is protected
        Term.objects.filter(code=code).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("vocabulary", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(ship, unship),
    ]
