# ruff: noqa: E501 - prose: each Markdown paragraph and list item is one line
"""Os guias em português."""

TEXTS = {
    "phone-seized": (
        "O que fazer se levarem o seu telefone",
        "A primeira hora conta: proteja as pessoas dos seus contatos e as suas contas.",
        """Quem está com o seu telefone pode ler as suas mensagens e escrever a todos os seus contatos como se fosse você. Num caso, toda a lista de contatos de uma defensora recebeu ameaças depois que lhe arrancaram o telefone. Aja depressa, nesta ordem.

## Agora mesmo

1. **Bloqueie a sua conta Amparo.** Se não tiver um computador à mão, peça ao seu contato de confiança que o faça com o código de bloqueio que você lhe deu. Todas as sessões terminam e as suas chaves deixam de funcionar nesse telefone.
2. **Avise os seus contatos próximos** de outro telefone: mensagens «suas» podem não ser suas. Não diga onde está.
3. **Mude as senhas** do seu e-mail primeiro, depois dos aplicativos de mensagens e das redes sociais, num aparelho de confiança. Com o e-mail é possível redefinir todas as outras.

## Nas próximas horas

4. **Encerre as sessões noutros aparelhos.** A maioria dos aplicativos mostra «aparelhos conectados» ou «sessões ativas»: encerre todas.
5. **Peça à sua operadora** que bloqueie o chip (cartão SIM), para que ninguém receba os seus códigos por SMS.
6. **Anote o que aconteceu**: quando, onde, quem levou. A sua equipe pode documentar como uma agressão.

## Depois

7. Se lhe devolverem o telefone, consulte o serviço de ajuda antes de usá-lo: pode ter um programa espião.
""",
    ),
    "lock-your-phone": (
        "Bloquear o seu telefone",
        "Um bom bloqueio de tela e a criptografia mantêm o telefone fechado para quem o pegar.",
        """Um telefone sem bloqueio abre-se a qualquer pessoa que o segure por um minuto. Um bom bloqueio também ativa a criptografia do telefone.

1. Abra **Configurações → Segurança** (ou **Face ID e código** num iPhone).
2. Escolha um **PIN de pelo menos 6 dígitos** ou uma frase secreta. Evite datas de aniversário e padrões: um padrão pode ser adivinhado pelas marcas dos dedos na tela.
3. Faça a tela bloquear **após 30 segundos** ou um minuto.
4. Oculte o conteúdo das notificações na tela bloqueada, para que ninguém leia mensagens sem desbloquear.
5. No Android, confirme em **Segurança → Criptografia** que o telefone está criptografado (os telefones recentes ficam assim quando se define um PIN).
6. Aprenda o atalho de **bloqueio** do seu telefone (em alguns, segurando o botão de ligar) que desativa a digital e o rosto até o PIN ser digitado. Use-o antes de uma barreira policial ou de uma manifestação.

Experimente agora: bloqueie o telefone e abra-o com o seu novo PIN.
""",
    ),
    "two-step-login": (
        "Verificação em duas etapas",
        "Uma senha sozinha pode ser roubada. Uma segunda etapa mantém a sua conta fechada mesmo assim.",
        """Com a verificação em duas etapas, entrar exige a sua senha **e** um código de algo que você carrega. Uma senha roubada já não basta.

1. Instale um **aplicativo autenticador** (por exemplo o Aegis no Android, ou outro aplicativo TOTP de confiança) no seu telefone.
2. Na sua conta de e-mail, abra **Segurança** e procure a **verificação em duas etapas** (também chamada 2FA).
3. Escolha **aplicativo autenticador** em vez de SMS: um SMS pode ser desviado por quem controla o seu chip.
4. Leia com o aplicativo o código quadrado mostrado na tela e digite o código de 6 dígitos que o aplicativo mostra.
5. **Anote os códigos de recuperação** em papel e guarde-os num lugar seguro, longe do telefone. Eles deixam você entrar se perder o telefone.
6. Faça o mesmo nas contas de mensagens e redes sociais, começando pelas que as pessoas usam para falar com você.

Se alguém lhe pedir um código por mensagem ou por telefone, é um ataque: ninguém legítimo precisa dele.
""",
    ),
    "spot-phishing": (
        "Reconhecer o phishing",
        "Como reconhecer uma mensagem que quer a sua senha ou quer que você abra um arquivo.",
        """Muitos ataques contra defensoras começam com uma única mensagem: um link para uma página de acesso falsa, ou um arquivo que instala um programa espião.

## Olhe antes de tocar

1. **Quem a enviou de verdade?** Confira o endereço completo, não só o nome mostrado. Trocar uma letra (rn em vez de m) é um truque comum.
2. **É urgente ou assustadora?** «A sua conta será fechada», «Veja estas fotos suas»: a pressão é um sinal de alerta.
3. **Para onde vai o link?** Mantenha o dedo sobre ele (ou passe o mouse) para ver o endereço real antes de abrir.
4. **Você esperava este arquivo?** Não abra documentos que não pediu, mesmo de um nome conhecido.

## Se tiver dúvidas

5. Pergunte a quem enviou por outro meio (uma ligação, outro aplicativo).
6. Envie a mensagem ao serviço de ajuda como pedido de *mensagem suspeita*. Não a reencaminhe a outras pessoas.
7. Se já digitou a sua senha, mude-a agora e ative a verificação em duas etapas.
""",
    ),
    "encrypted-messaging": (
        "Mensagens criptografadas",
        "Escolha um aplicativo com criptografia de ponta a ponta e configure-o para que um telefone apreendido diga pouco.",
        """Criptografia de ponta a ponta quer dizer que só você e a pessoa a quem escreve podem ler a mensagem, e não a empresa nem o seu provedor de internet.

1. Use um aplicativo com criptografia de ponta a ponta **ativada por padrão** (o Signal é um exemplo muito usado).
2. Proteja o aplicativo com um **PIN ou bloqueio de registro**, para que ninguém tome o seu número.
3. Ative as **mensagens temporárias** nas conversas sensíveis (uma semana, ou um dia).
4. **Verifique os números de segurança** com as pessoas com quem fala de assuntos sensíveis, pessoalmente ou por ligação.
5. Veja de vez em quando os **aparelhos conectados** e remova os que não reconhece.
6. Pense nos nomes: guarde os contatos sensíveis com nomes que não revelem quem são.

A criptografia protege as mensagens no caminho. Não protege um telefone desbloqueado nas mãos de outra pessoa: veja *Bloquear o seu telefone*.
""",
    ),
    "safe-backups": (
        "Cópias de segurança",
        "Guarde uma cópia criptografada do que importa, num lugar que não seja o seu telefone.",
        """Se o seu telefone ou computador for apreendido, quebrar ou for roubado, uma cópia de segurança faz com que o seu trabalho não se perca. Uma cópia criptografada faz com que ninguém mais a leia.

1. **Escolha o que importa**: documentos, fotos que provam uma agressão, contatos de que precisa.
2. **Use criptografia**: um pendrive criptografado, ou um serviço na nuvem em que só você tem a chave. Use uma frase secreta forte e anote-a num lugar seguro.
3. **Guarde a cópia noutro lugar**: não na mesma bolsa nem na mesma casa que o aparelho.
4. **Faça disso um hábito**: uma vez por semana, ou depois de cada acontecimento importante, sempre no mesmo dia.
5. **Teste a cópia**: abra um arquivo dela para ter certeza de que funciona.
6. **Apague do telefone o que já não precisa.** O que não está lá não pode ser levado.
""",
    ),
    "separate-accounts": (
        "Separar contas de trabalho e pessoais",
        "Mantenha o seu ativismo e a sua vida privada em contas diferentes, para que uma só falha não exponha as duas.",
        """Quando tudo está numa só conta, uma senha roubada ou um telefone apreendido abre de uma vez o seu trabalho, a sua família e as suas amizades.

1. Crie um **endereço de e-mail separado** para o seu trabalho como defensora.
2. Use-o nas mensagens e redes sociais do trabalho; deixe as contas pessoais para a família e as amizades.
3. Dê a cada conta **a sua própria senha** (um gerenciador de senhas ajuda) e ative a **verificação em duas etapas** nas duas.
4. Não ponha o seu endereço, a escola dos seus filhos nem fotos de família nos seus perfis públicos de trabalho.
5. Confira as **configurações de privacidade** de cada perfil: quem pode ver a sua lista de amizades e as suas fotos.
6. Procure o seu nome na internet de vez em quando para ver o que outras pessoas podem encontrar.
""",
    ),
    "travel-with-devices": (
        "Viajar com aparelhos",
        "Em fronteiras e barreiras os seus aparelhos podem ser revistados. Prepare-se antes de sair.",
        """A polícia ou os guardas de fronteira podem pedir que você desbloqueie um telefone ou um computador. O que você não leva não pode ser lido.

1. **Antes de sair**, faça uma cópia de segurança (veja *Cópias de segurança*) e leve só o necessário para a viagem.
2. Pense num **telefone de viagem** com poucos contatos e sem conversas sensíveis.
3. **Saia** dos aplicativos e do e-mail sensíveis, e desinstale-os se puder reinstalá-los depois.
4. **Desligue o telefone** antes de uma fronteira: um telefone desligado é mais difícil de abrir do que um apenas bloqueado.
5. Desative o desbloqueio por digital e por rosto: podem obrigá-la a tocar ou olhar para um telefone, um PIN fica na sua cabeça.
6. Avise um contato de confiança quando atravessar e quando chegar; combinem o que ela fará se você não ligar.
""",
    ),
}
