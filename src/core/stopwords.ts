// Stop words left out of "top words", per language code of the post (Twitter's `lang`).

const LISTS: Record<string, string> = {
  en: 'a about above after again against all am an and any are as at be because been before being below between both but by can did do does doing down during each few for from further had has have having he her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours ourselves out over own same she should so some such than that the their theirs them themselves then there these they this those through to too under until up very was we were what when where which while who whom why will with you your yours yourself yourselves rt via amp im dont its thats u ur get got go going like one would could us',
  es: 'a al algo algunas algunos ante antes como con contra cual cuando de del desde donde durante e el ella ellas ellos en entre era es esa ese eso esta estaba estado estan estar este esto estos fue ha hay la las le les lo los mas me mi muy nada ni no nos o os otra otro para pero poco por porque que quien se ser si sin sobre su sus tambien te tiene todo todos tu un una uno unos y ya yo rt',
  fr: 'a au aux avec ce ces dans de des du elle en et eux il je la le les leur lui ma mais me meme mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos votre vous c d j l m n s t y ete est sont rt',
  pt: 'a ao aos as com como da das de do dos e ela ele eles em entre era essa esse esta este eu foi ha isso isto ja la mais mas me mesmo meu minha muito na nao nas nem no nos o os ou para pela pelo por qual quando que se sem ser seu sua sao tambem te tem um uma voce rt',
  de: 'aber als am an auch auf aus bei bin bis da das dass dem den der des die doch du ein eine einem einen einer es fur hat ich ihr im in ist ja kein mich mit nicht noch nur oder sich sie sind so und uns von war was wie wir zu zum zur rt',
  it: 'a ad al alla alle anche che chi con da dal dei del della delle di e gli ha ho i il in io la le lo ma mi nel nella non per piu se si sono su sua suo ti tra tu un una uno rt',
};

/** The language code of a post without one (`coalesce(t_lang, 'und')`): "undetermined", as Twitter writes it. */
export const UNKNOWN_LANG = 'und';

/**
 * (language, word) pairs for every list; a post of unknown language (`und`) leaves out the stop words of every
 * language (`for` and `the` were offered as rising terms from posts without a language).
 */
export function stopWordPairs(): [string, string][] {
  const pairs = Object.entries(LISTS).flatMap(([lang, words]) => words.split(' ').map((w): [string, string] => [lang, w]));
  const every = [...new Set(pairs.map(([, w]) => w))].map((w): [string, string] => [UNKNOWN_LANG, w]);
  return [...pairs, ...every];
}
