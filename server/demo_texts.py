"""Synthetic text posts for the demo queues, in several languages and scripts: Latin,
Cyrillic, Arabic and Hebrew (right to left), Chinese, Japanese and Korean, with emoji.

Why: a reviewer's queue is multilingual, and the text view must mask, wrap and lay out
right-to-left and CJK text as it will meet it. Every post is invented and harmless,
assembled from the sentences below, and starts with a marker saying it is synthetic,
in English and in the post's language.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    script: str
    marker: str
    """Says "synthetic example" in the language itself."""
    separator: str
    """What joins sentences: a space, or nothing for Chinese and Japanese."""
    everyday: tuple[str, ...]
    promo: tuple[str, ...]
    """Spam-like sentences (invented offers, example.invalid links) for the spam queue."""

    @property
    def rtl(self) -> bool:
        return self.script in ("Arabic", "Hebrew")


LANGUAGES = (
    Language(
        "en", "English", "Latin", "synthetic example", " ",
        ("Just got back from the market and the prices are up again.",
         "Can someone explain why the referee ignored that call in the second half?",
         "The bus was forty minutes late this morning, third time this week.",
         "Honestly this thread has become a shouting match and nobody is listening.",
         "Our street flooded after the storm last night, the whole block lost power.",
         "I disagree with the council's decision, but calling people names helps nobody.",
         "Does anyone know a good place to fix a cracked phone screen downtown?",
         "Photos from the protest are all over my feed, stay safe everyone."),
        ("Congratulations, you have been selected for a free gift card!",
         "Click https://prize.example.invalid now, the offer ends in ten minutes.",
         "Earn 5000 a week from home, no experience needed, DM me.",
         "Your account will be closed unless you confirm your password here.")),
    Language(
        "es", "Spanish", "Latin", "ejemplo sintético", " ",
        ("Acabo de volver del mercado y los precios han vuelto a subir.",
         "¿Alguien me explica por qué el árbitro no pitó esa falta?",
         "El autobús llegó cuarenta minutos tarde esta mañana.",
         "Sinceramente este hilo se ha convertido en una discusión sin sentido.",
         "Anoche se inundó la calle con la tormenta y nos quedamos sin luz.",
         "No estoy de acuerdo con el ayuntamiento, pero insultar no ayuda a nadie."),
        ("¡Enhorabuena, has ganado una tarjeta regalo gratis!",
         "Entra ya en https://premio.example.invalid, la oferta termina en diez minutos.",
         "Gana dinero desde casa sin experiencia, escríbeme por privado.")),
    Language(
        "de", "German", "Latin", "synthetisches Beispiel", " ",
        ("Bin gerade vom Markt zurück und die Preise sind schon wieder gestiegen.",
         "Kann mir jemand erklären, warum der Schiedsrichter das nicht gepfiffen hat?",
         "Der Bus kam heute Morgen vierzig Minuten zu spät, schon das dritte Mal.",
         "Nach dem Unwetter stand unsere Straße unter Wasser, überall Stromausfall.",
         "Ich sehe das anders als der Stadtrat, aber Beleidigungen bringen gar nichts."),
        ("Herzlichen Glückwunsch, Sie haben einen Gutschein gewonnen!",
         "Jetzt klicken: https://gewinn.example.invalid, nur noch zehn Minuten gültig.",
         "Ihr Konto wird gesperrt, wenn Sie Ihr Passwort nicht hier bestätigen.")),
    Language(
        "ru", "Russian", "Cyrillic", "синтетический пример", " ",
        ("Только что вернулся с рынка, цены опять выросли.",
         "Кто-нибудь объяснит, почему судья не назначил пенальти во втором тайме?",
         "Автобус сегодня опоздал на сорок минут, уже третий раз за неделю.",
         "Честно говоря, эта ветка превратилась в перепалку, никто никого не слышит.",
         "После вчерашней грозы нашу улицу затопило, весь квартал без света.",
         "Я не согласен с решением администрации, но оскорбления ничего не решают."),
        ("Поздравляем, вы выиграли подарочную карту!",
         "Переходите по ссылке https://priz.example.invalid, акция закончится через 10 минут.",
         "Заработок от 5000 в неделю не выходя из дома, пишите в личку.")),
    Language(
        "ar", "Arabic", "Arabic", "مثال اصطناعي", " ",
        ("عدت للتو من السوق والأسعار ارتفعت مرة أخرى.",
         "هل يمكن لأحد أن يشرح لماذا تجاهل الحكم تلك الركلة في الشوط الثاني؟",
         "تأخرت الحافلة أربعين دقيقة هذا الصباح، للمرة الثالثة هذا الأسبوع.",
         "بصراحة تحول هذا النقاش إلى صراخ ولا أحد يستمع إلى الآخر.",
         "غمرت المياه شارعنا بعد العاصفة الليلة الماضية وانقطعت الكهرباء عن الحي.",
         "لا أتفق مع قرار البلدية، لكن الشتائم لا تفيد أحدا."),
        ("مبروك، لقد تم اختيارك للحصول على بطاقة هدية مجانية!",
         "اضغط على الرابط https://jaiza.example.invalid الآن، العرض ينتهي خلال عشر دقائق.",
         "اربح المال من المنزل بدون خبرة، راسلني على الخاص.")),
    Language(
        "he", "Hebrew", "Hebrew", "דוגמה סינתטית", " ",
        ("הרגע חזרתי מהשוק והמחירים שוב עלו.",
         "מישהו יכול להסביר למה השופט התעלם מהעבירה הזאת במחצית השנייה?",
         "האוטובוס איחר הבוקר בארבעים דקות, כבר פעם שלישית השבוע.",
         "בכנות, השרשור הזה הפך לצעקות ואף אחד לא מקשיב.",
         "הרחוב שלנו הוצף אחרי הסערה אתמול בלילה וכל השכונה בלי חשמל.",
         "אני לא מסכים עם החלטת העירייה, אבל קללות לא עוזרות לאף אחד."),
        ("מזל טוב, זכית בכרטיס מתנה בחינם!",
         "היכנסו עכשיו לקישור https://pras.example.invalid, המבצע נגמר בעוד עשר דקות.",
         "תרוויחו כסף מהבית בלי ניסיון, שלחו לי הודעה פרטית.")),
    Language(
        "zh", "Chinese", "Han", "合成示例", "",
        ("刚从菜市场回来，价格又涨了。",
         "有人能解释一下为什么裁判下半场没有判那个点球吗？",
         "今天早上公交车晚点了四十分钟，这周已经是第三次了。",
         "说实话，这个帖子已经变成了吵架，没有人在听别人说话。",
         "昨晚暴雨之后我们这条街被淹了，整个小区都停电了。",
         "我不同意市政府的决定，但是骂人解决不了任何问题。"),
        ("恭喜您获得免费礼品卡一张！",
         "立即点击 https://lipin.example.invalid 领取，活动十分钟后结束。",
         "在家兼职日赚五百，无需经验，私信我。")),
    Language(
        "ja", "Japanese", "Japanese", "合成サンプル", "",
        ("さっき市場から帰ってきたけど、また値段が上がってた。",
         "後半のあのファウルを審判が取らなかった理由、誰か説明してくれる？",
         "今朝はバスが四十分も遅れた。今週もう三回目だよ。",
         "正直このスレッドはもう言い合いになっていて、誰も人の話を聞いていない。",
         "昨夜の嵐で家の前の道が冠水して、近所一帯が停電した。"),
        ("おめでとうございます！無料ギフトカードが当選しました。",
         "今すぐ https://keihin.example.invalid をクリック、あと十分で終了します。",
         "在宅で簡単に稼げます。経験不要、DMください。")),
    Language(
        "ko", "Korean", "Hangul", "합성 예시", " ",
        ("방금 시장에서 돌아왔는데 물가가 또 올랐어요.",
         "후반전에 심판이 왜 그 반칙을 안 불었는지 누가 설명 좀 해 주세요.",
         "오늘 아침 버스가 40분이나 늦었어요. 이번 주만 세 번째예요.",
         "솔직히 이 글타래는 말싸움이 돼 버려서 아무도 서로의 말을 안 들어요.",
         "어젯밤 폭풍 때문에 우리 동네 길이 물에 잠기고 전기가 나갔어요."),
        ("축하합니다! 무료 상품권에 당첨되셨습니다.",
         "지금 바로 https://gyeongpum.example.invalid 를 클릭하세요. 10분 후 종료됩니다.",
         "집에서 쉽게 돈 버는 방법, 경험 필요 없어요. DM 주세요.")),
)

EMOJI = ("🙂", "😡", "🔥", "🎉", "👍", "😢", "🙏", "⚽", "🌧️", "💸", "📢")

MARKER_PREFIX = "[SYNTHETIC"
"""Every post begins with this, e.g. "[SYNTHETIC · синтетический пример]"."""


def language_for(n: int) -> Language:
    return LANGUAGES[n % len(LANGUAGES)]


def synthetic_post(seed: int, language: Language, *, promo: bool, min_chars: int) -> str:
    """An invented post in `language` of at least `min_chars` characters, marked synthetic.
    Spam-like sentences when `promo`; emoji after some sentences."""
    rng = random.Random(seed)
    pool = language.promo + language.everyday[:2] if promo else language.everyday
    sentences: list[str] = []
    while len(language.separator.join(sentences)) < min_chars:
        batch = list(pool)  # each sentence once before any repeats, as a long rant goes
        rng.shuffle(batch)
        for sentence in batch:
            sentences.append(f"{sentence} {rng.choice(EMOJI)}" if rng.random() < 0.4
                             else sentence)
            if len(language.separator.join(sentences)) >= min_chars:
                break
    body = language.separator.join(sentences)
    return f"{MARKER_PREFIX} · {language.marker}] {body}"
