# ruff: noqa: E501 - prose: each Markdown paragraph and list item is one line
"""The guides in English."""

TEXTS = {
    "phone-seized": (
        "What to do if your phone is seized",
        "The first hour matters: protect the people in your contacts and your accounts.",
        """When a phone is taken, whoever holds it may read your messages and write to everyone in your contacts as if they were you. In one case the whole contact list of a defender received threats after her phone was grabbed. Act quickly, in this order.

## Right now

1. **Lock down your Amparo account.** If you cannot reach a computer, ask your trusted contact to do it with the lockdown code you gave her. Every session ends and your keys stop working on that phone.
2. **Warn your close contacts** from another phone: messages "from you" may not be yours. Do not say where you are.
3. **Change the passwords** of your e-mail first, then your messaging apps and social networks, from a device you trust. Your e-mail can reset all the others.

## In the next hours

4. **Log out other devices.** Most messaging apps and e-mail services show "linked devices" or "active sessions": end all of them.
5. **Ask your carrier** to block the SIM card, so nobody can receive your login codes by SMS.
6. **Write down what happened**: when, where, who took it. Your desk can document it as an attack.

## Later

7. Ask the help desk before you use the phone again if it is returned: it may carry spyware.
""",
    ),
    "lock-your-phone": (
        "Locking your phone",
        "A strong screen lock and encryption keep your phone closed to whoever picks it up.",
        """A phone without a lock opens to anyone who holds it for a minute. A good lock also switches on the phone's encryption.

1. Open **Settings → Security** (or **Face ID & passcode** on an iPhone).
2. Choose a **PIN of at least 6 digits** or a passphrase. Avoid birthdays and patterns: a pattern can be read from the smudges on the screen.
3. Set the screen to lock **after 30 seconds** or 1 minute.
4. Hide the content of notifications on the lock screen, so messages cannot be read without unlocking.
5. On Android, check under **Security → Encryption** that the phone is encrypted (recent phones are, once a PIN is set).
6. Learn the **lockdown** shortcut of your phone (pressing the power button on some phones) that turns fingerprint and face unlock off until the PIN is typed. Use it before a checkpoint or a protest.

Try it now: lock the phone and open it with your new PIN.
""",
    ),
    "two-step-login": (
        "Two-step login",
        "A password alone can be stolen. A second step keeps your account closed anyway.",
        """With two-step login, signing in needs your password **and** a code from something you carry. A stolen password is no longer enough.

1. Install an **authenticator app** (for example Aegis on Android, or any TOTP app you trust) on your phone.
2. In your e-mail account, open **Security** and find **two-step verification** (also called 2FA).
3. Choose **authenticator app** rather than SMS: an SMS can be redirected by someone who controls your SIM card.
4. Scan the square code shown on the screen with the app, then type the 6-digit code the app shows.
5. **Write down the recovery codes** on paper and keep them somewhere safe, away from the phone. They let you in if the phone is lost.
6. Do the same for your messaging and social network accounts, starting with the ones people use to reach you.

If someone asks you for a code by message or by phone, it is an attack: nobody legitimate needs it.
""",
    ),
    "spot-phishing": (
        "Spotting phishing",
        "How to recognise a message that wants your password or wants you to open a file.",
        """Many attacks on defenders start with one message: a link to a fake login page, or a file that installs spyware.

## Look before you click

1. **Who really sent it?** Check the full address, not only the name shown. One letter changed (rn instead of m) is a common trick.
2. **Is it urgent or frightening?** "Your account will be closed", "Look at these photos of you": pressure is a warning sign.
3. **Where does the link go?** Hold your finger on it (or hover with the mouse) to see the real address before opening it.
4. **Were you expecting this file?** Do not open documents you did not ask for, even from a known name.

## If you are unsure

5. Ask the sender through another channel (a call, another app).
6. Send the message to the help desk as a *suspicious message* request. Do not forward it to others.
7. If you already typed your password, change it now and turn on two-step login.
""",
    ),
    "encrypted-messaging": (
        "Encrypted messaging",
        "Choose an app that encrypts end to end, and set it up so that a seized phone says little.",
        """End-to-end encryption means that only you and the person you write to can read the message, not the company or your internet provider.

1. Use an app with end-to-end encryption **on by default** (Signal is a widely used example).
2. Protect the app with a **PIN or registration lock**, so nobody can take over your number.
3. Turn on **disappearing messages** for sensitive conversations (one week, or one day).
4. **Verify safety numbers** with the people you talk to about sensitive matters, in person or by a call.
5. Check **linked devices** from time to time and remove any you do not recognise.
6. Think about names: save sensitive contacts under names that do not reveal who they are.

Encryption protects messages on the way. It does not protect a phone that is unlocked in someone else's hands: see *Locking your phone*.
""",
    ),
    "safe-backups": (
        "Safe backups",
        "Keep a copy of what matters, encrypted, somewhere that is not your phone.",
        """If your phone or computer is seized, broken or stolen, a backup means your work is not lost. An encrypted backup means nobody else reads it.

1. **Choose what matters**: documents, photos that prove an attack, contacts you need.
2. **Use encryption**: an encrypted USB drive, or a cloud service where you hold the key. Set a strong passphrase and write it down somewhere safe.
3. **Keep the copy elsewhere**: not in the same bag or house as the device.
4. **Make it a habit**: once a week, or after every important event, on the same day.
5. **Test it**: open one file from the backup to be sure it works.
6. **Delete what you no longer need** from the phone. What is not there cannot be taken.
""",
    ),
    "separate-accounts": (
        "Separating work and personal accounts",
        "Keep your activism and your private life in different accounts, so one breach does not expose both.",
        """When everything is in one account, one stolen password or one seized phone opens your work, your family and your friends at once.

1. Create a **separate e-mail address** for your work as a defender.
2. Use it for work messaging and social network accounts; keep your personal ones for family and friends.
3. Give each account its **own password** (a password manager helps) and turn on **two-step login** on both.
4. Do not put your home address, your children's school or family photos on your public work profiles.
5. Check the **privacy settings** of each profile: who can see your friends list and your photos.
6. Search your name online from time to time to see what others can find.
""",
    ),
    "travel-with-devices": (
        "Travelling with devices",
        "At borders and checkpoints your devices can be searched. Prepare before you leave.",
        """Border guards and police may ask you to unlock a phone or a computer. What you do not carry cannot be read.

1. **Before you leave**, back up your data (see *Safe backups*) and take only what you need for the trip.
2. Consider a **travel phone** with few contacts and no sensitive conversations.
3. **Log out** of sensitive apps and e-mail, and remove them if you can reinstall them later.
4. **Turn the phone off** before a border: a phone that is off is harder to open than one that is only locked.
5. Turn fingerprint and face unlock off: you can be made to touch or look at a phone, a PIN stays in your head.
6. Tell a trusted contact when you cross and when you arrive; agree what she does if you do not call.
""",
    ),
}
